#pragma once
// How a data workload becomes a cell's batches (docs/ARCHITECTURE.md, "Workloads").
//
// A cell draws batches × batchSize rows from the workload, uniformly with replacement, from its
// seed (cellSeed: the same rows for every model, task and batching policy of a (batch size,
// max length) point, and for a resumed sweep). A row longer than the cell's max length is
// truncated to it, as a tokenizer with truncation=True would (counted). Then:
//   random  the rows stay in the order drawn (arrival order) and every batchSize of them make
//           a batch;
//   sorted  the drawn rows are sorted by length (ascending) and cut into consecutive batches,
//           as bucketing servers (MLPerf's BERT harness, text-embeddings-inference) form them.
// So the two policies of a cell batch the very same rows: what differs is only the padding.
#include <cstdint>
#include <vector>

#include "core/sweep/WorkloadSpec.h"

namespace bertbench {

struct SampledRows {
    std::vector<std::vector<int>> batches;   // each batch's row lengths, after truncation
    int rows = 0;                            // rows drawn (batches × batchSize)
    int truncated = 0;                       // of those, longer than the max length
};

// Throws InputError for an empty workload, a policy of None, or sizes below 1.
SampledRows sampleRows(const std::vector<int>& lengths, Batching policy, int batchSize, int maxLength, int batches,
                       uint64_t seed);

} // namespace bertbench
