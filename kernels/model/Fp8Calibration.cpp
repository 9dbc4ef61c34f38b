// CudaBertModel's fp8 part (CudaBertModel.h, Fp8LinearLayer.h): the calibration forward that fixes
// the fp8 layers' input scales, the input buffers they quantize into, and the dtype that ran.
#include <algorithm>

#include "core/batch/Batch.h"
#include "kernels/model/CudaBertModel.h"
#include "kernels/model/Fp8LinearLayer.h"

namespace bertbench::cuda {

namespace {

template <typename Fn>
void forEachFp8(const std::unique_ptr<LinearLayer>& a, const std::unique_ptr<LinearLayer>& b,
                const std::unique_ptr<LinearLayer>& c, const std::unique_ptr<LinearLayer>& d, Fn&& fn) {
    for (const std::unique_ptr<LinearLayer>* layer : {&a, &b, &c, &d})
        if (auto* f = dynamic_cast<Fp8Linear*>(layer->get())) fn(*f);
}

} // namespace

void CudaBertModel::calibrateFp8(AttentionStrategy& attention) {
    if (!fp8_) return;
    Linears& l = linears_;
    // The calibration batch (Fp8LinearLayer.h): seeded synthetic rows, the encoder task (every
    // checkpoint has an encoder; the fp8 layers are the encoder's).
    BatchSpec spec;
    spec.batchSize = kFp8CalibrationRows;
    spec.maxSeqLen = std::min(kFp8CalibrationWidth, config_.maxPositions - config_.positionOffset);
    spec.padFraction = kFp8CalibrationPad;
    spec.vocabSize = config_.vocabSize;
    spec.padTokenId = config_.padTokenId;
    spec.seed = kFp8CalibrationSeed;
    const Batch batch = makeBatch(spec);
    forEachFp8(l.qkv, l.attentionOut, l.ffnUp, l.ffnDown, [](Fp8Linear& f) { f.setCalibrating(true); });
    try {
        prepare(Task::Encoder, batch, attention);
        forward(attention);
        context_.synchronize();
    } catch (...) {
        forEachFp8(l.qkv, l.attentionOut, l.ffnUp, l.ffnDown, [](Fp8Linear& f) { f.setCalibrating(false); });
        releaseCell();
        throw;
    }
    forEachFp8(l.qkv, l.attentionOut, l.ffnUp, l.ffnDown, [](Fp8Linear& f) { f.setCalibrating(false); });
    releaseCell();
}

void CudaBertModel::reserveFp8(int64_t rows) {
    Linears& l = linears_;
    forEachFp8(l.qkv, l.attentionOut, l.ffnUp, l.ffnDown, [rows](Fp8Linear& f) { f.reserve(rows); });
}

CudaBertModel::Fp8Inputs CudaBertModel::fp8Inputs(const DeviceLayer& l, bool afterLayer, const DeviceLayer* next) {
    auto* qkv = dynamic_cast<Fp8Linear*>(linears_.qkv.get());
    auto* up = dynamic_cast<Fp8Linear*>(linears_.ffnUp.get());
    auto* down = dynamic_cast<Fp8Linear*>(linears_.ffnDown.get());
    auto ready = [](const Fp8Linear* f) { return f && f->quantizeFusable(); };
    Fp8Inputs in;
    // The LayerNorms write any dtype's rows; FFN-down's producer must itself be an fp8 layer.
    if (ready(qkv) && afterLayer) in.qkv = qkv->quantizedInput(l.qkvW);
    if (ready(qkv) && next) in.nextQkv = qkv->quantizedInput(next->qkvW);
    if (ready(up)) in.ffnUp = up->quantizedInput(l.interW);
    if (ready(up) && ready(down)) in.ffnDown = down->quantizedInput(l.outW);
    return in;
}

DType CudaBertModel::dtypeRan() const {
    if (!fp8_) return dtype_;
    const Linears& l = linears_;
    int fp8 = 0;
    for (const std::unique_ptr<LinearLayer>* layer : {&l.qkv, &l.attentionOut, &l.ffnUp, &l.ffnDown})
        if (auto* f = dynamic_cast<const Fp8Linear*>(layer->get()); f && f->calibrated()) ++fp8;
    return fp8 == 4 ? DType::Float8 : dtype_;
}

} // namespace bertbench::cuda
