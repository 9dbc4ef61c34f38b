#include "kernels/model/CudaBertModel.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/util/Errors.h"
#include "kernels/ops/Ops.h"
#include "kernels/ops/SmallLinear.h"
#include "kernels/runtime/CudaCheck.h"
#include "kernels/runtime/EnvFlag.h"
#include "kernels/runtime/HostConvert.h"

namespace bertbench::cuda {

namespace {

constexpr size_t kAlign = 256;
size_t alignUp(size_t bytes) { return (bytes + kAlign - 1) / kAlign * kAlign; }

// FNV-1a over the config and values sampled from every tensor: cheap, and different weights
// (another seed, another checkpoint) give another fingerprint.
class Fingerprint {
public:
    void add(const void* data, size_t bytes) {
        const auto* p = static_cast<const unsigned char*>(data);
        for (size_t i = 0; i < bytes; ++i) hash_ = (hash_ ^ p[i]) * 1099511628211ull;
    }
    template <typename T> void value(T v) { add(&v, sizeof v); }
    void tensor(const Tensor& t) {
        value(t.numel());
        const size_t n = t.data.size();
        if (n == 0) return;
        const size_t step = std::max<size_t>(1, n / 61);
        for (size_t i = 0; i < n; i += step) value(t.data[i]);
        value(t.data[n - 1]);
    }
    uint64_t hash() const { return hash_; }

private:
    uint64_t hash_ = 1469598103934665603ull;
};

uint64_t fingerprintOf(const BertWeights& w, DType dtype) {
    Fingerprint f;
    const ModelConfig& c = w.config;
    for (int v : {c.vocabSize, c.hiddenSize, c.numLayers, c.numHeads, c.intermediateSize, c.maxPositions,
                  c.typeVocabSize, c.numLabels})
        f.value(v);
    f.value(c.layerNormEps);
    f.value(int(dtype));
    for (const Tensor* t : {&w.wordEmb, &w.posEmb, &w.typeEmb, &w.embLnGamma, &w.embLnBeta, &w.poolerW, &w.poolerB,
                            &w.mlmTransformW, &w.mlmTransformB, &w.mlmLnGamma, &w.mlmLnBeta, &w.mlmDecoderB,
                            &w.classifierW, &w.classifierB, &w.tokenClassifierW, &w.tokenClassifierB, &w.qaW, &w.qaB})
        f.tensor(*t);
    for (const LayerWeights& l : w.layers) {
        for (const Tensor* t : {&l.queryW, &l.queryB, &l.keyW, &l.keyB, &l.valueW, &l.valueB, &l.attnOutW, &l.attnOutB,
                                &l.attnLnGamma, &l.attnLnBeta, &l.interW, &l.interB, &l.outW, &l.outB, &l.outLnGamma,
                                &l.outLnBeta})
            f.tensor(*t);
    }
    return f.hash();
}

// One tensor of the device arena: where its fp32 values come from and which pointer receives it.
struct Upload {
    std::vector<const Tensor*> parts;   // concatenated in this order (the fused QKV weight)
    int64_t numel = 0;
    const void** target = nullptr;
    std::string name;
    size_t offset = 0;
};

} // namespace

void CudaBertModel::load(const BertWeights& weights, DType dtype) {
    const ModelConfig& c = weights.config;
    const int H = c.hiddenSize;
    if (c.numHeads <= 0 || H % c.numHeads != 0) throw BackendError("hidden size must be divisible by the heads");
    if (H % 8 != 0 || c.headDim() % 8 != 0) {
        throw BackendError("the CUDA kernels need hidden size and head dim multiples of 8 (got hidden " +
                           std::to_string(H) + ", head dim " + std::to_string(c.headDim()) + ")");
    }
    if (int(weights.layers.size()) != c.numLayers) throw BackendError("weights have a different number of layers than the config");
    const uint64_t fingerprint = fingerprintOf(weights, dtype);
    context_.makeCurrent();
    if (loaded_ && fingerprint == fingerprint_) return;

    releaseCell();
    arena_.reset();
    loaded_ = false;
    w_ = Weights{};
    w_.layers.resize(size_t(c.numLayers));
    config_ = c;
    dtype_ = dtype;
    context_.ensureWorkspace();

    std::vector<Upload> uploads;
    auto add = [&](std::vector<const Tensor*> parts, int64_t expected, const void** target, const std::string& name,
                   bool optional) {
        int64_t numel = 0;
        for (const Tensor* t : parts) numel += t->numel();
        if (numel == 0 && optional) return;
        if (numel != expected) {
            throw BackendError("weight " + name + " has " + std::to_string(numel) + " values, the config implies " +
                               std::to_string(expected));
        }
        uploads.push_back(Upload{std::move(parts), numel, target, name, 0});
    };
    const int64_t V = c.vocabSize, I = c.intermediateSize;
    add({&weights.wordEmb}, V * H, &w_.wordEmb, "word embeddings", false);
    add({&weights.posEmb}, int64_t(c.maxPositions) * H, &w_.posEmb, "position embeddings", false);
    add({&weights.typeEmb}, int64_t(c.typeVocabSize) * H, &w_.typeEmb, "token type embeddings", false);
    add({&weights.embLnGamma}, H, &w_.embLnG, "embeddings LayerNorm weight", false);
    add({&weights.embLnBeta}, H, &w_.embLnB, "embeddings LayerNorm bias", false);
    for (size_t i = 0; i < weights.layers.size(); ++i) {
        const LayerWeights& l = weights.layers[i];
        Layer& d = w_.layers[i];
        const std::string p = "layer " + std::to_string(i) + " ";
        add({&l.queryW, &l.keyW, &l.valueW}, 3 * int64_t(H) * H, &d.qkvW, p + "QKV weight", false);
        add({&l.queryB, &l.keyB, &l.valueB}, 3 * int64_t(H), &d.qkvB, p + "QKV bias", false);
        add({&l.attnOutW}, int64_t(H) * H, &d.attnOutW, p + "attention output weight", false);
        add({&l.attnOutB}, H, &d.attnOutB, p + "attention output bias", false);
        add({&l.attnLnGamma}, H, &d.attnLnG, p + "attention LayerNorm weight", false);
        add({&l.attnLnBeta}, H, &d.attnLnB, p + "attention LayerNorm bias", false);
        add({&l.interW}, I * H, &d.interW, p + "intermediate weight", false);
        add({&l.interB}, I, &d.interB, p + "intermediate bias", false);
        add({&l.outW}, I * H, &d.outW, p + "output weight", false);
        add({&l.outB}, H, &d.outB, p + "output bias", false);
        add({&l.outLnGamma}, H, &d.outLnG, p + "output LayerNorm weight", false);
        add({&l.outLnBeta}, H, &d.outLnB, p + "output LayerNorm bias", false);
    }
    add({&weights.poolerW}, int64_t(H) * H, &w_.poolerW, "pooler weight", true);
    add({&weights.poolerB}, H, &w_.poolerB, "pooler bias", true);
    add({&weights.mlmTransformW}, int64_t(H) * H, &w_.mlmTransformW, "MLM transform weight", true);
    add({&weights.mlmTransformB}, H, &w_.mlmTransformB, "MLM transform bias", true);
    add({&weights.mlmLnGamma}, H, &w_.mlmLnG, "MLM LayerNorm weight", true);
    add({&weights.mlmLnBeta}, H, &w_.mlmLnB, "MLM LayerNorm bias", true);
    add({&weights.mlmDecoderB}, V, &w_.mlmDecoderB, "MLM decoder bias", true);
    w_.classifierLabels = int(weights.classifierW.numel() / H);
    w_.tokenLabels = int(weights.tokenClassifierW.numel() / H);
    add({&weights.classifierW}, int64_t(w_.classifierLabels) * H, &w_.classifierW, "classifier weight", true);
    add({&weights.classifierB}, w_.classifierLabels, &w_.classifierB, "classifier bias", true);
    add({&weights.tokenClassifierW}, int64_t(w_.tokenLabels) * H, &w_.tokenClassifierW, "token classifier weight", true);
    add({&weights.tokenClassifierB}, w_.tokenLabels, &w_.tokenClassifierB, "token classifier bias", true);
    add({&weights.qaW}, 2 * int64_t(H), &w_.qaW, "QA weight", true);
    add({&weights.qaB}, 2, &w_.qaB, "QA bias", true);

    const size_t element = elementSize(dtype);
    size_t total = 0;
    for (Upload& u : uploads) {
        u.offset = total;
        total += alignUp(size_t(u.numel) * element);
    }
    arena_ = DeviceBuffer(context_.allocator(), total, "weights (" + toString(dtype) + ")");
    auto* base = static_cast<unsigned char*>(arena_.get());
    std::vector<unsigned char> staging;
    for (const Upload& u : uploads) {
        staging.resize(size_t(u.numel) * element);
        size_t done = 0;
        for (const Tensor* t : u.parts) {
            convertFromFloat(dtype, t->ptr(), t->data.size(), staging.data() + done * element);
            done += t->data.size();
        }
        BB_CUDA_CHECK(cudaMemcpy(base + u.offset, staging.data(), staging.size(), cudaMemcpyHostToDevice));
        *u.target = base + u.offset;
    }
    // The arena holds each layer's tensors in the order added above: QKV weight first, output
    // LayerNorm bias last, so one range covers the layer.
    for (Layer& l : w_.layers) {
        l.begin = l.qkvW;
        l.bytes = size_t(static_cast<const unsigned char*>(l.outLnB) + size_t(H) * element -
                         static_cast<const unsigned char*>(l.qkvW));
    }
    fingerprint_ = fingerprint;
    loaded_ = true;
}

void CudaBertModel::checkHead(Task task) const {
    auto need = [&](bool present, const char* what) {
        if (!present) throw BackendError(std::string("the model has no ") + what + " (task " + toString(task) + ")");
    };
    switch (task) {
    case Task::Encoder: break;
    case Task::Mlm:
        need(w_.mlmTransformW && w_.mlmTransformB && w_.mlmLnG && w_.mlmLnB && w_.mlmDecoderB, "masked-LM head");
        break;
    case Task::Classification:
        need(w_.poolerW && w_.poolerB, "pooler");
        need(w_.classifierW && w_.classifierB && w_.classifierLabels > 0, "sequence classifier");
        break;
    case Task::TokenClassification:
        need(w_.tokenClassifierW && w_.tokenClassifierB && w_.tokenLabels > 0, "token classifier");
        break;
    case Task::Qa: need(w_.qaW && w_.qaB, "question-answering head"); break;
    }
}

void CudaBertModel::prepare(Task task, const Batch& batch, AttentionStrategy& attention) {
    if (!loaded_) throw BackendError("prepare() before loadModel()");
    context_.makeCurrent();
    releaseCell();
    checkHead(task);

    const int B = batch.batchSize, S = batch.maxSeqLen;
    if (B < 1 || S < 1) throw InputError("empty batch");
    if (S > config_.maxPositions) {
        throw InputError("sequence length " + std::to_string(S) + " exceeds the model's " +
                         std::to_string(config_.maxPositions) + " positions");
    }
    const size_t padded = size_t(B) * size_t(S);
    if (batch.lengths.size() != size_t(B) || batch.inputIds.size() != padded) throw InputError("malformed batch");
    if (!batch.tokenTypeIds.empty() && batch.tokenTypeIds.size() != padded) throw InputError("malformed batch token types");
    for (int len : batch.lengths) {
        if (len < 1 || len > S) throw InputError("row length " + std::to_string(len) + " outside 1.." + std::to_string(S));
    }
    for (int32_t id : batch.inputIds) {
        if (id < 0 || id >= config_.vocabSize) {
            throw InputError("token id " + std::to_string(id) + " outside the vocabulary 0.." +
                             std::to_string(config_.vocabSize - 1));
        }
    }
    for (int32_t t : batch.tokenTypeIds) {
        if (t < 0 || t >= config_.typeVocabSize) throw InputError("token type " + std::to_string(t) + " out of range");
    }

    try {
        Cell& c = cell_;
        c.task = task;
        AttentionShape& s = c.shape;
        s.batch = B;
        s.maxSeqLen = S;
        s.numHeads = config_.numHeads;
        s.headDim = config_.headDim();
        s.hidden = config_.hiddenSize;
        s.packed = attention.packed();
        s.dtype = dtype_;

        // Host side of the int32 inputs, one upload.
        std::vector<int32_t> cu(size_t(B) + 1, 0);
        for (int b = 0; b < B; ++b) cu[size_t(b) + 1] = cu[size_t(b)] + batch.lengths[size_t(b)];
        const int64_t real = cu[size_t(B)];
        s.tokens = s.packed ? real : int64_t(padded);
        std::vector<int32_t> rowToPadded;
        std::vector<int32_t> clsRows(static_cast<size_t>(B));
        if (s.packed) {
            rowToPadded.reserve(size_t(real));
            for (int b = 0; b < B; ++b)
                for (int p = 0; p < batch.lengths[size_t(b)]; ++p) rowToPadded.push_back(b * S + p);
        }
        for (int b = 0; b < B; ++b) clsRows[size_t(b)] = s.packed ? cu[size_t(b)] : b * S;

        const size_t intsAlign = kAlign / sizeof(int32_t);
        auto slot = [&](size_t count) { return (count + intsAlign - 1) / intsAlign * intsAlign; };
        const size_t oIds = 0, oTypes = oIds + slot(padded), oLengths = oTypes + slot(padded);
        const size_t oCu = oLengths + slot(size_t(B)), oRows = oCu + slot(size_t(B) + 1);
        const size_t oCls = oRows + slot(rowToPadded.size() + 1), totalInts = oCls + slot(size_t(B));
        std::vector<int32_t> host(totalInts, 0);
        std::memcpy(host.data() + oIds, batch.inputIds.data(), padded * sizeof(int32_t));
        if (!batch.tokenTypeIds.empty()) std::memcpy(host.data() + oTypes, batch.tokenTypeIds.data(), padded * sizeof(int32_t));
        for (int b = 0; b < B; ++b) host[oLengths + size_t(b)] = batch.lengths[size_t(b)];
        std::memcpy(host.data() + oCu, cu.data(), cu.size() * sizeof(int32_t));
        if (!rowToPadded.empty()) std::memcpy(host.data() + oRows, rowToPadded.data(), rowToPadded.size() * sizeof(int32_t));
        std::memcpy(host.data() + oCls, clsRows.data(), clsRows.size() * sizeof(int32_t));
        c.inputs = DeviceBuffer(context_.allocator(), totalInts * sizeof(int32_t), "inputs");
        BB_CUDA_CHECK(cudaMemcpyAsync(c.inputs.get(), host.data(), host.size() * sizeof(int32_t),
                                      cudaMemcpyHostToDevice, context_.stream()));
        const int32_t* d = c.inputs.as<int32_t>();
        c.ids = d + oIds;
        c.types = d + oTypes;
        c.lengths = d + oLengths;
        c.cuSeqlens = d + oCu;
        c.rowToPadded = s.packed ? d + oRows : nullptr;
        c.clsRows = d + oCls;

        const size_t e = elementSize(dtype_);
        const size_t T = size_t(s.tokens), H = size_t(config_.hiddenSize), I = size_t(config_.intermediateSize);
        auto& alloc = context_.allocator();
        c.x = DeviceBuffer(alloc, T * H * e, "hidden states [tokens, hidden]");
        // QKV + context and intermediate + FFN output are never live at once: one buffer holds
        // them in turn (peak memory: 6 instead of 9 hidden-sized tensors at bert-base sizes).
        // With the fused residual epilogue and a strategy that allows it, attention writes its
        // context over Q's columns of the QKV rows and the output projection adds into x in
        // place: attention needs [tokens, 3·hidden], not 4 (100 MB less at bert-base 128×512).
        // From kFfnChunkMinRows tokens on, the FFN runs over row chunks so that its
        // [chunk, intermediate + hidden] fits in attention's part: at bert-base 128×512 that is
        // 2 chunks; the GEMMs keep ≥ 2048 rows each.
        c.ctxOverQuery = gemm_.fusedEpilogues() && attention.overwritesQuery();
        const size_t attnCols = (c.ctxOverQuery ? 3 : 4) * H;
        size_t ffnChunks = 1;
        if (T >= kFfnChunkMinRows) ffnChunks = std::max<size_t>(1, (I + H + attnCols - 1) / attnCols);
        c.ffnChunkRows = int64_t((T + ffnChunks - 1) / ffnChunks);
        const size_t chunkRows = size_t(c.ffnChunkRows);
        const size_t scratchBytes = std::max(T * attnCols, chunkRows * (I + H)) * e;
        c.scratch = DeviceBuffer(alloc, scratchBytes, c.ctxOverQuery
                                                          ? "layer scratch [tokens, max(3*hidden, intermediate+hidden)]"
                                                          : "layer scratch [tokens, max(4*hidden, intermediate+hidden)]");
        auto* base = static_cast<unsigned char*>(c.scratch.get());
        c.qkv = base;
        c.ctx = c.ctxOverQuery ? base : base + T * 3 * H * e;
        c.ctxRowStride = int64_t(c.ctxOverQuery ? 3 * H : H);
        c.inter = base;
        c.ffnOut = base + chunkRows * I * e;
        if (prefetchWanted()) prefetch_.createStreams();
        const size_t workspace = attention.workspaceBytes(s);
        if (workspace > 0) c.workspace = DeviceBuffer(alloc, workspace, "attention workspace (" + attention.name() + ")");

        int cols = 0;
        switch (task) {
        case Task::Encoder: cols = int(H); break;
        case Task::Mlm: cols = config_.vocabSize; break;
        case Task::Classification: cols = w_.classifierLabels; break;
        case Task::TokenClassification: cols = w_.tokenLabels; break;
        case Task::Qa: cols = 2; break;
        }
        c.outCols = cols;
        if (task == Task::Classification) {
            c.logits = DeviceBuffer(alloc, size_t(B) * size_t(cols) * e, "classifier logits");
            c.output = c.logits.get();
            c.outRows = B;
            c.outShape = {B, cols};
            c.perPosition = false;
        } else {
            if (task != Task::Encoder) c.logits = DeviceBuffer(alloc, T * size_t(cols) * e, "task logits [tokens, labels]");
            void* result = task == Task::Encoder ? c.x.get() : c.logits.get();
            if (s.packed) {
                // The scatter is the last launch and reads x or logits: the scratch is free by then.
                const size_t paddedBytes = padded * size_t(cols) * e;
                if (paddedBytes <= scratchBytes) {
                    result = c.scratch.get();
                } else {
                    c.padded = DeviceBuffer(alloc, paddedBytes, "re-padded task output");
                    result = c.padded.get();
                }
            }
            c.output = result;
            c.outRows = int64_t(padded);
            c.outShape = {B, S, cols};
            c.perPosition = true;
        }
        prepared_ = true;
    } catch (...) {
        releaseCell();
        throw;
    }
}

namespace {

// BERTBENCH_SMALL_LINEAR=1 sends few-row GEMMs to kernels/ops/SmallLinear.h. Off by default: on
// the H200 it is correct (verify passes) but slower than cuBLAS at 1 x 128 (0.62 vs 0.415 ms after
// the session-19 reduction fix; docs/PERFORMANCE.md), so it stays an experiment until it wins.
bool smallLinearEnabled() {
    static const bool enabled = envFlag("BERTBENCH_SMALL_LINEAR", false);
    return enabled;
}

} // namespace

void CudaBertModel::forward(AttentionStrategy& attention) {
    if (!prepared_) throw BackendError("forward() before prepare()");
    Cell& c = cell_;
    const AttentionShape& s = c.shape;
    cudaStream_t stream = context_.stream();
    OpProfiler* prof = context_.profiler();
    const int H = config_.hiddenSize, I = config_.intermediateSize;
    const int64_t T = s.tokens;
    const double e = double(elementSize(dtype_));
    const float eps = float(config_.layerNormEps);
    const bool fused = gemm_.fusedEpilogues();
    auto* x = c.x.get();
    auto* qkv = c.qkv;   // once attention has read it, its start takes the output projection [T, H]
    auto* ctx = c.ctx;
    auto* inter = c.inter;
    auto* ffnOut = c.ffnOut;
    // Bytes each category must move (inputs read once, outputs written once) and its GEMM flops.
    const double rowBytes = e * double(T) * H;
    const double wHH = e * double(H) * H, wHI = e * double(H) * I;
    const double flopsHH = 2.0 * double(T) * H * H;

    // The profiler categories below are a contract (kernels/README.md): they tile the forward.
    // context_.runs(category) is true except while the profiler captures one category alone.
    const CudaContext& ctxt = context_;
    // Few-row GEMMs (batch-1 cells) through kernels/ops/SmallLinear.h where it takes the shape;
    // false: the caller uses cuBLAS. Only on the fused-epilogue path, whose layout it matches.
    const bool small = fused && smallLinearEnabled() && context_.workspace() != nullptr &&
                       ops::smallLinearFits(dtype_, T, H, I) && ops::smallLinearFits(dtype_, T, I, H) &&
                       ops::smallLinearFits(dtype_, T, H, 3 * H);
    auto smallLinear = [&](ops::SmallEpilogue epilogue, void* y, const void* in, int64_t ldx, const void* w,
                           const void* b, int64_t rows, int k, int n, const void* gamma = nullptr,
                           const void* beta = nullptr) {
        ops::SmallLinearArgs a;
        a.dtype = dtype_;
        a.epilogue = epilogue;
        a.y = y;
        a.x = in;
        a.ldx = ldx;
        a.weight = w;
        a.bias = b;
        a.residual = y;   // the LayerNorm epilogue runs in place on the hidden states
        a.gamma = gamma;
        a.beta = beta;
        a.eps = eps;
        a.rows = rows;
        a.in = k;
        a.out = n;
        ops::useContextScratch(a, static_cast<float*>(context_.workspace()), context_.workspaceBytes(), context_.counters(),
                                context_.properties().multiProcessorCount);
        ops::smallLinear(a, stream);
    };
    if (ctxt.runs("embeddings")) {
        OpScope scope(prof, stream, "embeddings", 4 * rowBytes);
        ops::embeddingLayerNorm(dtype_, x, c.ids, c.types, c.rowToPadded, T, s.maxSeqLen, w_.wordEmb,
                                config_.vocabSize, w_.posEmb, config_.maxPositions, w_.typeEmb, config_.typeVocabSize,
                                w_.embLnG, w_.embLnB, H, eps, stream);
    }
    AttentionArgs args;
    args.qkv = qkv;
    args.out = ctx;
    args.outRowStride = c.ctxRowStride;
    args.lengths = c.lengths;
    args.cuSeqlens = c.cuSeqlens;
    args.rowToPadded = c.rowToPadded;
    args.workspace = c.workspace.get();
    args.workspaceBytes = c.workspace.bytes();
    args.scale = 1.f / std::sqrt(float(s.headDim));
    args.stream = stream;

    // Batch-1 cells: each layer's weights move into L2 one layer ahead, on a side stream
    // (WeightPrefetch.h; off unless BERTBENCH_L2_PREFETCH=1). Not while the profiler times one
    // category alone: its graphs hold that category's launches only.
    const bool prefetch = prefetchWanted() && ctxt.runsEveryCategory();
    if (prefetch && !w_.layers.empty()) prefetch_.prefetch(stream, w_.layers[0].begin, w_.layers[0].bytes);
    for (size_t layer = 0; layer < w_.layers.size(); ++layer) {
        const Layer& l = w_.layers[layer];
        if (prefetch && layer + 1 < w_.layers.size())
            prefetch_.prefetch(stream, w_.layers[layer + 1].begin, w_.layers[layer + 1].bytes);
        if (ctxt.runs("qkv_gemm")) {
            OpScope scope(prof, stream, "qkv_gemm", 4 * rowBytes + 3 * wHH, 3 * flopsHH);
            if (small) smallLinear(ops::SmallEpilogue::Bias, qkv, x, 0, l.qkvW, l.qkvB, T, H, 3 * H);
            else gemm_.linear(dtype_, qkv, x, l.qkvW, l.qkvB, T, H, 3 * H);
        }
        if (ctxt.runs("attention")) {
            OpScope scope(prof, stream, "attention", 4 * rowBytes);
            attention.run(s, args, context_);
        }
        if (ctxt.runs("attn_out_ln")) {
            // x = LN(ctx·Woᵀ + b + x): GEMM with bias + residual epilogue, then LN reading one row.
            OpScope scope(prof, stream, "attn_out_ln", 4 * rowBytes + wHH, flopsHH);
            if (small) {
                smallLinear(ops::SmallEpilogue::BiasResidualLayerNorm, x, ctx, c.ctxRowStride, l.attnOutW, l.attnOutB, T,
                            H, H, l.attnLnG, l.attnLnB);
            } else if (c.ctxOverQuery) {
                // ctx lives in Q's columns (row stride 3·hidden) and K, V around it: x += ctx·Woᵀ + b in place.
                gemm_.linearResidual(dtype_, x, ctx, l.attnOutW, l.attnOutB, x, T, H, H, c.ctxRowStride);
                ops::biasResidualLayerNorm(dtype_, x, x, nullptr, nullptr, l.attnLnG, l.attnLnB, T, H, eps, stream);
            } else if (fused) {
                gemm_.linearResidual(dtype_, qkv, ctx, l.attnOutW, l.attnOutB, x, T, H, H);
                ops::biasResidualLayerNorm(dtype_, x, qkv, nullptr, nullptr, l.attnLnG, l.attnLnB, T, H, eps, stream);
            } else {
                gemm_.linear(dtype_, qkv, ctx, l.attnOutW, nullptr, T, H, H);
                ops::biasResidualLayerNorm(dtype_, x, qkv, l.attnOutB, x, l.attnLnG, l.attnLnB, T, H, eps, stream);
            }
        }
        // The FFN, over row chunks of at most c.ffnChunkRows (one chunk below kFfnChunkMinRows).
        for (int64_t r0 = 0; r0 < T; r0 += c.ffnChunkRows) {
            const int64_t rows = std::min(c.ffnChunkRows, T - r0);
            auto* xr = static_cast<unsigned char*>(x) + size_t(r0) * size_t(H) * size_t(e);
            const double chunkRow = e * double(rows) * H, chunkInter = e * double(rows) * I;
            const double chunkFlops = 2.0 * double(rows) * H * I;
            if (ctxt.runs("ffn_up_gelu")) {
                OpScope scope(prof, stream, "ffn_up_gelu", chunkRow + chunkInter + wHI, chunkFlops);
                if (small) {
                    smallLinear(ops::SmallEpilogue::BiasGelu, inter, xr, 0, l.interW, l.interB, rows, H, I);
                } else if (fused) {
                    gemm_.linearGelu(dtype_, inter, xr, l.interW, l.interB, rows, H, I);
                } else {
                    gemm_.linear(dtype_, inter, xr, l.interW, nullptr, rows, H, I);
                    ops::biasActivation(dtype_, inter, inter, l.interB, rows, I, I, ops::Activation::Gelu, stream);
                }
            }
            if (ctxt.runs("ffn_down_ln")) {
                OpScope scope(prof, stream, "ffn_down_ln", chunkInter + 3 * chunkRow + wHI, chunkFlops);
                if (small) {
                    smallLinear(ops::SmallEpilogue::BiasResidualLayerNorm, xr, inter, 0, l.outW, l.outB, rows, I, H,
                                l.outLnG, l.outLnB);
                } else if (fused) {
                    gemm_.linearResidual(dtype_, ffnOut, inter, l.outW, l.outB, xr, rows, I, H);
                    ops::biasResidualLayerNorm(dtype_, xr, ffnOut, nullptr, nullptr, l.outLnG, l.outLnB, rows, H, eps,
                                               stream);
                } else {
                    gemm_.linear(dtype_, ffnOut, inter, l.outW, nullptr, rows, I, H);
                    ops::biasResidualLayerNorm(dtype_, xr, ffnOut, l.outB, xr, l.outLnG, l.outLnB, rows, H, eps,
                                               stream);
                }
            }
        }
    }
    prefetch_.join(stream);
    if (ctxt.runs("head")) {
        OpScope scope(prof, stream, "head");
        headForward();
    }
    if (s.packed && c.perPosition && ctxt.runs("padding")) {
        OpScope scope(prof, stream, "padding", e * double(int64_t(s.batch) * s.maxSeqLen + T) * c.outCols);
        const void* packed = c.task == Task::Encoder ? x : c.logits.get();
        ops::scatterRows(dtype_, c.output, int64_t(s.batch) * s.maxSeqLen, packed, c.rowToPadded, T, c.outCols,
                         stream);
    }
}

bool CudaBertModel::prefetchWanted() const {
    return !w_.layers.empty() &&
           prefetch_.wanted(cell_.shape.tokens, w_.layers[0].bytes, size_t(context_.properties().l2CacheSize));
}

// The task head on x (the encoder's output): logits in c.logits, or nothing for the encoder.
// Classification ends here (one row per sequence); per-position outputs are re-padded by forward().
void CudaBertModel::headForward() {
    Cell& c = cell_;
    const AttentionShape& s = c.shape;
    cudaStream_t stream = context_.stream();
    const int H = config_.hiddenSize;
    const int64_t T = s.tokens;
    const float eps = float(config_.layerNormEps);
    void* x = c.x.get();
    void* logits = c.logits.get();
    switch (c.task) {
    case Task::Encoder: break;
    case Task::Mlm: {
        void* t = c.ctx;
        gemm_.linearGelu(dtype_, t, x, w_.mlmTransformW, w_.mlmTransformB, T, H, H);
        ops::biasResidualLayerNorm(dtype_, t, t, nullptr, nullptr, w_.mlmLnG, w_.mlmLnB, T, H, eps, stream);
        gemm_.linear(dtype_, logits, t, w_.wordEmb, w_.mlmDecoderB, T, H, config_.vocabSize);
        break;
    }
    case Task::Classification: {
        // Two [batch, hidden] buffers, one after the other, at the start of the layer scratch (free by now).
        void* cls = c.scratch.get();
        void* pooled = static_cast<unsigned char*>(c.scratch.get()) + size_t(s.batch) * size_t(H) * elementSize(dtype_);
        ops::gatherRows(dtype_, cls, x, c.clsRows, s.batch, H, stream);
        gemm_.linear(dtype_, pooled, cls, w_.poolerW, nullptr, s.batch, H, H);
        ops::biasActivation(dtype_, pooled, pooled, w_.poolerB, s.batch, H, H, ops::Activation::Tanh, stream);
        gemm_.linear(dtype_, logits, pooled, w_.classifierW, w_.classifierB, s.batch, H, w_.classifierLabels);
        break;
    }
    case Task::TokenClassification:
        gemm_.linear(dtype_, logits, x, w_.tokenClassifierW, w_.tokenClassifierB, T, H, w_.tokenLabels);
        break;
    case Task::Qa: gemm_.linear(dtype_, logits, x, w_.qaW, w_.qaB, T, H, 2); break;
    }
}

TaskOutput CudaBertModel::output() {
    if (!prepared_) throw BackendError("output() before prepare()");
    context_.makeCurrent();
    const Cell& c = cell_;
    const size_t count = size_t(c.outRows) * size_t(c.outCols);
    std::vector<unsigned char> raw(count * elementSize(dtype_));
    BB_CUDA_CHECK(cudaMemcpyAsync(raw.data(), c.output, raw.size(), cudaMemcpyDeviceToHost, context_.stream()));
    context_.synchronize();
    TaskOutput out;
    out.task = c.task;
    out.shape = c.outShape;
    out.perPosition = c.perPosition;
    out.values.resize(count);
    convertToFloat(dtype_, raw.data(), count, out.values.data());
    return out;
}

void CudaBertModel::releaseCell() {
    if (cell_.inputs || cell_.x) cudaStreamSynchronize(context_.stream());   // kernels may still read the buffers
    cell_ = Cell{};
    prepared_ = false;
    gemm_.clearPlans();
}

} // namespace bertbench::cuda
