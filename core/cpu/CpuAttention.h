#pragma once
// The three attention strategies of the CPU backends — the only place they differ.
// Input qkv rows are [Q | K | V] (3·H floats, head h at columns h·D of each part); output
// ctx rows are [H]. Each strategy runs over (sequence, head) pairs on cpuPool(), every pair
// with single-threaded GEMMs.
//   eager: scores B×heads×S×S materialised, additive mask (lowest float on padded keys),
//          softmax, then P·V — HF's eager_attention_forward.
//   sdpa:  over the padded batch, query blocks × key blocks of kKeyBlock with online softmax
//          and a key-padding mask; workspace per thread, never S×S.
//   flash_attention_2: over packed rows (no padding), per sequence the same online softmax over
//          its own keys only (cumulative offsets locate each sequence).
// Sliding-window attention (ModernBERT's local layers, AttentionShape::window): eager masks the
// keys outside the window in its S×S scores, as HF does; sdpa and flash_attention_2 never visit
// a key block wholly outside a query block's window and mask the partial ones, so a local layer
// costs O(S · window).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace bertbench::cpu {

enum class AttentionKind { Eager, Sdpa, Flash };

constexpr int kQueryBlock = 128;
constexpr int kKeyBlock = 64;

struct AttentionShape {
    int batch = 0;
    int seqLen = 0;        // padded length S (eager, sdpa)
    int heads = 0;
    int headDim = 0;
    const int* lengths = nullptr;        // [batch] real tokens per sequence
    const int64_t* offsets = nullptr;    // [batch + 1] packed row offsets (flash)
    // A query at position i sees the keys at |i − j| <= window; -1 = every key (global attention).
    int window = -1;
};

// Floats of workspace: eager needs B·heads·S·S shared; the streaming kinds need this per thread.
size_t eagerScoresFloats(const AttentionShape& s);
size_t streamingWorkspaceFloats(int headDim);

void eagerAttention(const AttentionShape& s, const float* qkv, float* ctx, float* scores);
void sdpaAttention(const AttentionShape& s, const float* qkv, float* ctx, float* workspace);
void flashAttention(const AttentionShape& s, const float* qkv, float* ctx, float* workspace);

} // namespace bertbench::cpu
