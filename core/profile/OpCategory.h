#pragma once
// The per-operation breakdown of one forward. The categories are named once, here;
// every backend (CUDA OpScope labels, the CPU reference's steady-clock scopes) uses these names.
#include <optional>
#include <string>
#include <vector>

namespace bertbench {

enum class OpCategory {
    Embeddings,        // word + position + type lookup and LayerNorm (on the CUDA packed path, also the unpadding)
    QkvGemm,           // the fused Q, K, V projection
    Attention,         // the attention strategy: scores/softmax/PV, or the fused kernel (ModernBERT: its
                       // global layers')
    AttentionLocal,    // ModernBERT's local layers' attention (a sliding window), apart from the global
    AttnOutLayerNorm,  // attention-output GEMM + bias + residual + LayerNorm
    FfnUpGelu,         // FFN up-projection GEMM + bias + GELU
    FfnDownLayerNorm,  // FFN down-projection GEMM + bias + residual + LayerNorm
    Padding,           // gathering / scattering rows between the padded and the packed layouts
    Head,              // the task head (MLM transform + decoder, pooler + classifier, ...)
};

// All categories in a fixed order (the order of parts, CSV columns and stacked charts).
const std::vector<OpCategory>& allOpCategories();
// Stable file/CSV names: "embeddings", "qkv_gemm", "attention", "attention_local", "attn_out_ln",
// "ffn_up_gelu", "ffn_down_ln", "padding", "head".
std::string categoryName(OpCategory c);
std::optional<OpCategory> parseOpCategory(const std::string& name);
// For people: "QKV GEMM", "attention-output GEMM + residual + LayerNorm", ...
std::string categoryLabel(OpCategory c);
// Short label for tight legends and table headers: "QKV", "attn out+LN", ...
std::string categoryShortLabel(OpCategory c);

struct OpPart {
    std::string category;   // a stable name from categoryName()
    double ms = 0;          // time in this category during the one profiling forward
    int calls = 0;          // timed scopes that contributed (0 = the category did not occur)
};

// One backend's breakdown in one cell.
//   Measurement::breakdown == nullopt   → not recorded (version-1 files, old CSVs)
//   breakdown with parts empty + note   → not available, note says why ("not available: ...")
//   breakdown with parts                → measured: one part per category, allOpCategories() order
struct OpBreakdown {
    std::vector<OpPart> parts;
    double sumMs = 0;       // Σ parts[i].ms
    double forwardMs = 0;   // the plain timed forwards' median (the profiling forward is separate)
    std::string note;

    bool measured() const { return !parts.empty(); }
    // forwardMs − sumMs: launch overhead and gaps between the timed scopes (may be < 0 when the
    // profiling forward ran slower than the timed median, e.g. without CUDA graphs).
    double otherMs() const { return forwardMs - sumMs; }
    // The part of a category, or nullptr when not measured.
    const OpPart* part(OpCategory c) const;
    double msOf(OpCategory c) const;   // 0 when absent
};

// A breakdown with all categories zero, ready to be filled by name.
OpBreakdown emptyBreakdown();
// A "not available" breakdown; `why` becomes "not available: <why>".
OpBreakdown unavailableBreakdown(const std::string& why);
// Adds ms (and one call) to the named category; returns false for a name that is not a category.
bool addToBreakdown(OpBreakdown& b, const std::string& category, double ms, int calls = 1);
// Recomputes sumMs from the parts.
void finishBreakdown(OpBreakdown& b, double forwardMs);

// One timed scope of a profiling forward, as a profiler recorded it. Scopes may nest
// (parent = index of the enclosing record, -1 at the top).
struct ScopeRecord {
    std::string category;
    double ms = 0;
    int parent = -1;
};
// Attributes scope times to categories without double counting: each record whose category is
// a known name gets its own time minus the time of its nearest known-category descendants;
// records with unknown names (a strategy's inner "softmax") count towards their nearest known
// ancestor, or are dropped at the top level.
OpBreakdown breakdownFromScopes(const std::vector<ScopeRecord>& records, double forwardMs);

} // namespace bertbench
