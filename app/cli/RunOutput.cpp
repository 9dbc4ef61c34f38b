#include "app/cli/RunOutput.h"

#include <filesystem>
#include <ostream>

#include "app/cli/MeasurementProfileTables.h"
#include "app/cli/RunSummary.h"
#include "app/cli/WorkloadTables.h"
#include "core/results/RunFiles.h"

namespace bertbench::cli {

RunFilePaths writeRunFiles(const Run& run, const std::string& dir) {
    const std::filesystem::path folder = dir;
    RunFilePaths paths;
    paths.runJson = (folder / "run.json").string();
    paths.nativeCsv = (folder / "results.csv").string();
    writeRunJson(run, paths.runJson);
    writeNativeCsv(run, paths.nativeCsv);
    paths.seedCsvs = writeSeedCsvs(run, dir);
    return paths;
}

int printRunReport(const Run& run, const RunFilePaths& files, std::ostream& out) {
    int failedRows = 0;
    for (const ResultRow& row : run.rows) failedRows += row.status != RowStatus::Ok ? 1 : 0;
    out << "\nSummary (" << run.rows.size() << " rows, " << failedRows << " not ok):\n" << summaryTable(run);
    if (const std::string eff = efficiencyTable(run); !eff.empty())
        out << "\nEfficiency and energy:\n" << gemmProbeLine(run) << eff;
    if (const std::string w = workloadTable(run); !w.empty()) {
        out << "\nYour data (" << describeWorkloadLine(run) << "):\n" << w;
        if (const std::string cmp = batchingComparisonTable(run); !cmp.empty())
            out << "\nRandom vs sorted batches (the same rows, batched two ways):\n" << cmp;
    }
    out << "\nFiles:\n  " << files.runJson << "\n  " << files.nativeCsv << "\n";
    for (const std::string& path : files.seedCsvs) out << "  " << path << "\n";
    out << std::flush;
    return failedRows;
}

} // namespace bertbench::cli
