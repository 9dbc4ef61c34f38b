// The task heads of CudaBertModel on x (the encoder's output): logits in the cell's logits buffer,
// or nothing for the encoder. Classification ends here (one row per sequence); per-position
// outputs are re-padded by forward(). The heads of HF's *For<Task> classes of the family, which
// share one shape (the names differ: core/model/CheckpointNames.cpp):
//   mlm: GELU(x·Wtᵀ + b) → LayerNorm → ·Embᵀ + decoder bias, the transform E wide (E = hidden,
//        or ELECTRA's embedding_size in its generator head), the decoder tied to the word embeddings
//   classification: the first token → act(·Wpᵀ + b) → classifier, act = tanh (BERT's pooler,
//        RoBERTa's classifier.dense), relu (DistilBERT's pre_classifier), gelu (ELECTRA)
//   token_classification, qa: one linear layer per position
#include <string>

#include "core/util/Errors.h"
#include "kernels/model/CudaBertModel.h"
#include "kernels/ops/Ops.h"

namespace bertbench::cuda {

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
        need(w_.poolerW && w_.poolerB, "first-token dense layer (pooler, classifier.dense or pre_classifier)");
        need(w_.classifierW && w_.classifierB && w_.classifierLabels > 0, "sequence classifier");
        break;
    case Task::TokenClassification:
        need(w_.tokenClassifierW && w_.tokenClassifierB && w_.tokenLabels > 0, "token classifier");
        break;
    case Task::Qa: need(w_.qaW && w_.qaB, "question-answering head"); break;
    }
}

void CudaBertModel::headForward() {
    EncoderCell& c = cell_;
    const int H = config_.hiddenSize;
    const int64_t T = c.shape.tokens;
    const int B = c.shape.batch;
    void* x = c.x.get();
    void* logits = c.logits.get();
    switch (c.task) {
    case Task::Encoder: break;
    case Task::Mlm: {
        void* t = c.scratch.get();   // [tokens, E] at the layer scratch's start, free by now
        const int E = config_.embeddingWidth();
        linears_.mlmTransform->run({.y = t, .x = x, .weight = w_.mlmTransformW, .bias = w_.mlmTransformB, .rows = T});
        ops::biasResidualLayerNorm(dtype_, t, t, nullptr, nullptr, w_.mlmLnG, w_.mlmLnB, T, E,
                                   float(config_.layerNormEps), context_.stream());
        linears_.mlmDecoder->run({.y = logits, .x = t, .weight = w_.wordEmb, .bias = w_.mlmDecoderB, .rows = T});
        break;
    }
    case Task::Classification: {
        // Two [batch, hidden] buffers, one after the other, at the start of the layer scratch.
        void* cls = c.scratch.get();
        void* pooled = static_cast<unsigned char*>(c.scratch.get()) + size_t(B) * size_t(H) * elementSize(dtype_);
        ops::gatherRows(dtype_, cls, x, c.clsRows, B, H, context_.stream());
        linears_.pooler->run({.y = pooled, .x = cls, .weight = w_.poolerW, .bias = w_.poolerB, .rows = B});
        linears_.classifier->run({.y = logits, .x = pooled, .weight = w_.classifierW, .bias = w_.classifierB, .rows = B});
        break;
    }
    case Task::TokenClassification:
        linears_.tokenClassifier->run(
            {.y = logits, .x = x, .weight = w_.tokenClassifierW, .bias = w_.tokenClassifierB, .rows = T});
        break;
    case Task::Qa: linears_.qa->run({.y = logits, .x = x, .weight = w_.qaW, .bias = w_.qaB, .rows = T}); break;
    }
}

} // namespace bertbench::cuda
