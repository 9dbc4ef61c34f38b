#pragma once
// Opening run files (native JSON, native CSV, the old script's CSV) several at a time.
// Files that fit together are merged into one run: same baseline backend and no
// (task, candidate) pair in common — e.g. log_Bert_sdpa_mlm.csv and
// log_Bert_flash_attention_2_mlm.csv become one run with two candidates.
#include <QStringList>
#include <vector>

#include "core/sweep/Run.h"

namespace bertbench::ui {

struct OpenedRun {
    Run run;
    QStringList paths;
    QString title;   // file name(s), shortened
};

// Reads every path; a file that fails to read adds "<file>: <reason>" to `errors`.
std::vector<OpenedRun> openRunFiles(const QStringList& paths, QStringList* errors);
// Merges runs that fit together (see above), keeping their order.
std::vector<OpenedRun> mergeCompatible(std::vector<OpenedRun> runs);

} // namespace bertbench::ui
