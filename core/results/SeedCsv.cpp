// The old script's CSV: kSeedCsvHeader, one row per (batch size, seq len, pad) of one
// task × attention, with the candidate and task only in the file name
// (log_Bert_<attention>_<task>.csv; the old "mlm" task is our encoder).
//
// The old script timed HuggingFace transformers (eager vs attn_implementation), so its rows are
// labelled as BertBench's torch:* backends, which measure the same thing; the run's source
// ("seed-csv:<file>") says they come from the old script's CSV.
//
// Export notes: latencies are the medians (the statistic speedupPercent() uses); rows whose
// status is not `ok` are left out, as the format has no way to mark a failed cell; our real
// masked-LM task is written as "mlm_head", since "mlm" already names the encoder.
#include <algorithm>
#include <cmath>
#include <cctype>
#include <filesystem>
#include <limits>
#include <optional>
#include <system_error>

#include "core/results/Csv.h"
#include "core/results/RunFiles.h"
#include "core/util/Errors.h"

namespace bertbench {

const char* const kSeedCsvHeader =
    "num_batches, batch_size, seq_len, is cuda, is half, use mask, pad percentage, Latency eager (ms), "
    "Latency BT (ms), Speedup (%), Mem eager (MB), Mem BT (MB), Mem saved (%)";

namespace {

constexpr size_t kSeedColumns = 13;
constexpr const char* kFilePrefix = "log_Bert_";
const std::string kOldScriptBackendPrefix = "torch:";   // HuggingFace transformers, as torch:* measures it
const std::string kOldScriptBaseline = "torch:eager";

std::vector<std::string> seedColumnNames() {
    std::vector<std::string> names;
    std::string_view rest = kSeedCsvHeader;
    while (true) {
        const auto comma = rest.find(',');
        names.emplace_back(csv::trim(rest.substr(0, comma)));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    return names;
}

std::string pyBool(bool b) { return b ? "True" : "False"; }

// The task's name in old-style file names.
std::string seedTaskName(Task t) {
    if (t == Task::Encoder) return "mlm";
    if (t == Task::Mlm) return "mlm_head";
    return toString(t);
}

std::optional<Task> taskFromSeedName(const std::string& s) {
    if (s == "mlm" || s == "encoder") return Task::Encoder;
    if (s == "mlm_head") return Task::Mlm;
    return parseTask(s);
}

bool startsWithNoCase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
            return false;
    return true;
}

struct SeedName {
    std::string attention;
    Task task = Task::Encoder;
};

// "log_Bert_flash_attention_2_mlm.csv" -> {flash_attention_2, encoder}.
SeedName parseSeedFileName(const std::string& fileName) {
    const std::string base = csv::baseName(fileName);
    auto bad = [&](const std::string& why) -> FileFormatError {
        return FileFormatError(fileName + ": " + why +
                               "; a seed CSV's name must be log_Bert_<attention>_<task>.csv "
                               "(e.g. log_Bert_sdpa_mlm.csv), as the old script wrote it");
    };
    std::string_view s = base;
    if (!startsWithNoCase(s, kFilePrefix)) throw bad("the file name does not start with \"log_Bert_\"");
    s.remove_prefix(std::string_view(kFilePrefix).size());
    if (s.size() >= 4 && startsWithNoCase(s.substr(s.size() - 4), ".csv")) s.remove_suffix(4);
    // Longest task names first: "token_classification" also ends in "classification".
    static const char* const kTaskTokens[] = {"token_classification", "classification", "mlm_head", "encoder",
                                              "mlm", "qa"};
    for (const char* token : kTaskTokens) {
        const std::string suffix = std::string("_") + token;
        if (s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix) {
            SeedName n;
            n.attention = std::string(s.substr(0, s.size() - suffix.size()));
            n.task = *taskFromSeedName(token);
            return n;
        }
    }
    throw bad("cannot tell the attention and the task from the file name");
}

std::string sanitizeForFileName(std::string s) {
    for (char& c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) c = '_';
    return s;
}

std::string attentionOf(const std::string& backend) {
    const auto colon = backend.find(':');
    return colon == std::string::npos ? backend : backend.substr(colon + 1);
}

} // namespace

std::string rowsToSeedCsv(const std::vector<ResultRow>& rows) {
    std::string out = kSeedCsvHeader;
    out += '\n';
    for (const ResultRow& r : rows) {
        out += std::to_string(r.numBatches);
        out += ',' + std::to_string(r.cell.batchSize);
        out += ',' + std::to_string(r.cell.seqLen);
        out += ',' + pyBool(r.isCuda);
        out += ',' + pyBool(r.isHalf);
        out += ',' + pyBool(r.useMask);
        // A data workload's row: the pad its batches had (the old format has no other place for it).
        const bool data = r.cell.batching != Batching::None && std::isfinite(r.realisedPad);
        out += ',' + csv::shortest(data ? r.realisedPad : r.cell.pad);
        out += ',' + csv::fixed(r.baseline.latency.medianMs, 3);
        out += ',' + csv::fixed(r.candidate.latency.medianMs, 3);
        out += ',' + csv::fixed(r.speedupPercent(), 3);
        out += ',' + csv::fixed(r.baseline.peakMemMb, 3);
        out += ',' + csv::fixed(r.candidate.peakMemMb, 3);
        out += ',' + csv::fixed(r.memorySavedPercent(), 3);
        out += '\n';
    }
    return out;
}

Run runFromSeedCsv(const std::string& text, const std::string& fileName) {
    const SeedName name = parseSeedFileName(fileName);
    const std::vector<csv::Record> records = csv::parse(text, fileName);
    const std::vector<std::string> expected = seedColumnNames();
    auto headerError = [&](int line, const std::string& why) {
        return FileFormatError(fileName + ": line " + std::to_string(line) + ": " + why +
                               "; expected the old script's header: " + kSeedCsvHeader);
    };
    if (records.empty()) throw headerError(1, "empty file");
    const csv::Record& header = records.front();
    if (header.fields.size() != kSeedColumns)
        throw headerError(header.line, "the header has " + std::to_string(header.fields.size()) + " columns, not 13");
    for (size_t i = 0; i < kSeedColumns; ++i)
        if (csv::trim(header.fields[i]) != expected[i])
            throw headerError(header.line, "column " + std::to_string(i + 1) + " is \"" + header.fields[i] +
                                               "\", not \"" + expected[i] + "\"");

    Run run;
    for (size_t k = 1; k < records.size(); ++k) {
        const csv::Record& rec = records[k];
        if (rec.fields.size() != kSeedColumns)
            throw FileFormatError(fileName + ": line " + std::to_string(rec.line) + ": expected 13 fields, got " +
                                  std::to_string(rec.fields.size()));
        auto fail = [&](size_t col, const std::string& what) -> FileFormatError {
            return FileFormatError(fileName + ": line " + std::to_string(rec.line) + ", column \"" + expected[col] +
                                   "\" (" + std::to_string(col + 1) + "): " + what + ", got \"" +
                                   rec.fields[col] + "\"");
        };
        auto integer = [&](size_t col) {
            const auto v = csv::parseInt(csv::trim(rec.fields[col]));
            if (!v || *v < 0 || *v > std::numeric_limits<int>::max()) throw fail(col, "expected a non-negative integer");
            return static_cast<int>(*v);
        };
        auto boolean = [&](size_t col) {
            const std::string_view s = csv::trim(rec.fields[col]);
            if (s == "True" || s == "true" || s == "TRUE" || s == "1") return true;
            if (s == "False" || s == "false" || s == "FALSE" || s == "0") return false;
            throw fail(col, "expected True or False");
        };
        auto number = [&](size_t col) {
            const auto v = csv::parseDouble(csv::trim(rec.fields[col]));
            if (!v) throw fail(col, "expected a number");
            return *v;
        };
        ResultRow r;
        r.cell.task = name.task;
        r.numBatches = integer(0);
        r.cell.batchSize = integer(1);
        r.cell.seqLen = integer(2);
        r.isCuda = boolean(3);
        r.isHalf = boolean(4);
        r.useMask = boolean(5);
        r.cell.pad = number(6);
        const double baseMs = number(7);
        const double candMs = number(8);
        // Kept as written: the old script computed them from unrounded latencies.
        r.recordedSpeedupPct = number(9);
        r.baseline.peakMemMb = number(10);
        r.candidate.peakMemMb = number(11);
        r.recordedMemSavedPct = number(12);
        r.baseline.backend = kOldScriptBaseline;
        r.candidate.backend = kOldScriptBackendPrefix + name.attention;
        for (auto [m, ms] : {std::pair{&r.baseline, baseMs}, std::pair{&r.candidate, candMs}}) {
            m->hasStats = false;
            m->latency.samples = r.numBatches;
            m->latency.medianMs = ms;
            m->latency.meanMs = ms;
            m->efficiency.note = "not recorded";   // the old script measured neither
            m->energy.note = "not recorded";
        }
        r.status = RowStatus::Ok;
        run.rows.push_back(std::move(r));
    }
    const bool half = !run.rows.empty() && run.rows.front().isHalf;
    run.spec = csv::specFromRows(run.rows, half ? DType::Float16 : DType::Float32);
    if (run.rows.empty()) {   // nothing to rebuild from: at least keep what the name says
        run.spec.tasks = {name.task};
        run.spec.candidates = {kOldScriptBackendPrefix + name.attention};
        run.spec.baseline = kOldScriptBaseline;
    }
    run.environment.source = "seed-csv:" + csv::baseName(fileName);
    return run;
}

namespace {

std::vector<std::string> writeSeedCsvsOfPolicy(const Run& run, const std::string& model, Batching batching,
                                               const std::string& folder) {
    // (task, candidate) groups of the model's rows in order of first appearance.
    std::vector<std::pair<Task, std::string>> groups;
    for (const ResultRow& r : run.rows) {
        if (r.cell.model != model || r.cell.batching != batching) continue;
        const std::pair<Task, std::string> key{r.cell.task, r.candidate.backend};
        if (std::find(groups.begin(), groups.end(), key) == groups.end()) groups.push_back(key);
    }
    // Cell order of the spec; rows of cells outside it keep their order after those.
    // (The model is left out of the comparison: every row here is the one model's.)
    const std::vector<Cell> cells = cellsOf(run.spec);
    auto cellIndex = [&](const Cell& c) {
        return static_cast<size_t>(std::find_if(cells.begin(), cells.end(), [&](const Cell& k) {
                                       return k.task == c.task && k.batchSize == c.batchSize && k.seqLen == c.seqLen &&
                                              k.pad == c.pad;
                                   }) - cells.begin());
    };

    std::error_code ec;
    std::filesystem::create_directories(folder, ec);   // a failure shows when writing
    std::vector<std::string> paths;
    std::vector<std::string> usedNames;
    for (const auto& [task, backend] : groups) {
        std::vector<std::pair<size_t, const ResultRow*>> rows;
        for (const ResultRow& r : run.rows)
            if (r.cell.model == model && r.cell.batching == batching && r.cell.task == task &&
                r.candidate.backend == backend && r.status == RowStatus::Ok)
                rows.emplace_back(cellIndex(r.cell), &r);
        std::stable_sort(rows.begin(), rows.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        std::vector<ResultRow> ordered;
        ordered.reserve(rows.size());
        for (const auto& [index, row] : rows) ordered.push_back(*row);

        std::string attention = sanitizeForFileName(attentionOf(backend));
        std::string fileName = kFilePrefix + attention + "_" + seedTaskName(task) + ".csv";
        if (std::find(usedNames.begin(), usedNames.end(), fileName) != usedNames.end()) {
            // Two candidates with one attention (cpu:sdpa and cuda:sdpa): name the device too.
            attention = sanitizeForFileName(backend);
            fileName = kFilePrefix + attention + "_" + seedTaskName(task) + ".csv";
        }
        usedNames.push_back(fileName);
        const std::string path = (std::filesystem::path(folder) / fileName).string();
        writeFileAtomic(path, rowsToSeedCsv(ordered));
        paths.push_back(path);
    }
    return paths;
}

// A data workload's policies each get a folder of their own (random/, sorted/): the old format has
// one row per (batch size, seq len, pad) and no column for the policy.
std::vector<std::string> writeSeedCsvsOfModel(const Run& run, const std::string& model, const std::string& folder) {
    std::vector<Batching> policies;
    for (const ResultRow& r : run.rows)
        if (r.cell.model == model && std::find(policies.begin(), policies.end(), r.cell.batching) == policies.end())
            policies.push_back(r.cell.batching);
    std::sort(policies.begin(), policies.end());
    std::vector<std::string> paths;
    for (Batching b : policies) {
        const std::string sub = b == Batching::None ? folder : (std::filesystem::path(folder) / toString(b)).string();
        for (std::string& p : writeSeedCsvsOfPolicy(run, model, b, sub)) paths.push_back(std::move(p));
    }
    return paths;
}

} // namespace

std::vector<std::string> writeSeedCsvs(const Run& run, const std::string& folder) {
    // The old script's files know one model: a run of several writes one set a model, each in a
    // folder named after it.
    std::vector<std::string> models;
    for (const ResultRow& r : run.rows)
        if (std::find(models.begin(), models.end(), r.cell.model) == models.end()) models.push_back(r.cell.model);
    if (models.size() <= 1) return writeSeedCsvsOfModel(run, models.empty() ? std::string() : models.front(), folder);
    std::vector<std::string> paths, usedFolders;
    for (const std::string& model : models) {
        std::string name = sanitizeForFileName(modelLabel(model));
        // Two checkpoint folders with one last component: the whole path names the set.
        if (std::find(usedFolders.begin(), usedFolders.end(), name) != usedFolders.end()) name = sanitizeForFileName(model);
        usedFolders.push_back(name);
        for (std::string& p : writeSeedCsvsOfModel(run, model, (std::filesystem::path(folder) / name).string()))
            paths.push_back(std::move(p));
    }
    return paths;
}


} // namespace bertbench
