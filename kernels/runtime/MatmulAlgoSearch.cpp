#include "kernels/runtime/MatmulAlgoSearch.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "kernels/runtime/CudaCheck.h"
#include "kernels/runtime/StreamGate.h"

namespace bertbench::cuda {

namespace {

constexpr size_t kSplitKBases = 3;

} // namespace

void destroyDescriptors(MatmulDescriptors& m) {
    for (cublasLtMatrixLayout_t* layout : {&m.a, &m.b, &m.c, &m.d})
        if (*layout) cublasLtMatrixLayoutDestroy(std::exchange(*layout, nullptr));
    if (m.op) cublasLtMatmulDescDestroy(std::exchange(m.op, nullptr));
}

void addSplitKVariants(CudaContext& context, const MatmulDescriptors& m, int64_t rows, int out, int in,
                       std::vector<cublasLtMatmulAlgo_t>& candidates) {
    const int64_t tiles = ((rows + 127) / 128) * ((int64_t(out) + 127) / 128);
    if (tiles >= context.properties().multiProcessorCount) return;
    const size_t workspace = context.workspaceBytes();
    const size_t bases = std::min(candidates.size(), kSplitKBases);
    for (size_t i = 0; i < bases; ++i) {
        int32_t splitSupport = 0;
        uint32_t schemes = 0;
        size_t written = 0;
        if (cublasLtMatmulAlgoCapGetAttribute(&candidates[i], CUBLASLT_ALGO_CAP_SPLITK_SUPPORT, &splitSupport,
                                              sizeof splitSupport, &written) != CUBLAS_STATUS_SUCCESS ||
            !splitSupport)
            continue;
        cublasLtMatmulAlgoCapGetAttribute(&candidates[i], CUBLASLT_ALGO_CAP_REDUCTION_SCHEME_MASK, &schemes,
                                          sizeof schemes, &written);
        for (int32_t splits : {2, 4, 8, 16}) {
            if (in / splits < 128) break;
            for (uint32_t scheme :
                 {uint32_t(CUBLASLT_REDUCTION_SCHEME_INPLACE), uint32_t(CUBLASLT_REDUCTION_SCHEME_COMPUTE_TYPE)}) {
                if (!(schemes & scheme)) continue;
                cublasLtMatmulAlgo_t algo = candidates[i];
                if (cublasLtMatmulAlgoConfigSetAttribute(&algo, CUBLASLT_ALGO_CONFIG_SPLITK_NUM, &splits,
                                                         sizeof splits) != CUBLAS_STATUS_SUCCESS ||
                    cublasLtMatmulAlgoConfigSetAttribute(&algo, CUBLASLT_ALGO_CONFIG_REDUCTION_SCHEME, &scheme,
                                                         sizeof scheme) != CUBLAS_STATUS_SUCCESS)
                    continue;
                cublasLtMatmulHeuristicResult_t check{};
                if (cublasLtMatmulAlgoCheck(context.cublasLt(), m.op, m.a, m.b, m.c, m.d, &algo, &check) ==
                        CUBLAS_STATUS_SUCCESS &&
                    check.workspaceSize <= workspace)
                    candidates.push_back(algo);
            }
        }
    }
}

// Each candidate is timed behind a closed gate, so that the GPU runs the calls back to back: µs-long
// batch-1 GEMMs would otherwise be timed at the host's launch rate and every candidate would look
// alike. Round 0 times one call of each (after an untimed one) to size the later rounds: enough
// calls per round for ~0.1 ms of work (1 for a 65 536-row GEMM, ~10 at batch 1). Two more rounds
// over all candidates; the fastest round of each counts, so one slow moment of the GPU does not
// decide the algorithm.
int fastestAlgo(CudaContext& context, const std::vector<cublasLtMatmulAlgo_t>& candidates, const MatmulLaunch& launch) {
    std::vector<float> bestOf(candidates.size(), -1.f);
    std::vector<bool> usable(candidates.size(), true);
    for (size_t i = 0; i < candidates.size(); ++i) usable[i] = launch(candidates[i]) == CUBLAS_STATUS_SUCCESS;
    EventTimer timer;
    auto timeRound = [&](int reps) {
        for (size_t i = 0; i < candidates.size(); ++i) {
            if (!usable[i]) continue;
            StreamGate gate;
            gate.hold(context.stream());
            timer.start(context.stream());
            bool ok = true;
            for (int r = 0; r < reps && ok; ++r) ok = launch(candidates[i]) == CUBLAS_STATUS_SUCCESS;
            timer.stop(context.stream());
            gate.release();
            const float ms = float(timer.elapsedMs()) / float(reps);   // synchronises: the gate is done
            if (!ok) usable[i] = false;
            else if (bestOf[i] < 0 || ms < bestOf[i]) bestOf[i] = ms;
        }
    };
    timeRound(1);
    float quickest = -1.f;
    for (size_t i = 0; i < candidates.size(); ++i)
        if (usable[i] && bestOf[i] > 0 && (quickest < 0 || bestOf[i] < quickest)) quickest = bestOf[i];
    const int reps = quickest > 0 ? int(std::clamp(std::ceil(0.1f / quickest), 1.f, 20.f)) : 1;
    for (int round = 0; round < 2; ++round) timeRound(reps);
    float best = -1.f;
    int bestIndex = -1;
    for (size_t i = 0; i < candidates.size(); ++i)
        if (usable[i] && bestOf[i] >= 0 && (best < 0 || bestOf[i] < best)) {
            best = bestOf[i];
            bestIndex = int(i);
        }
    BB_CUDA_CHECK(cudaGetLastError());
    return bestIndex;
}

} // namespace bertbench::cuda
