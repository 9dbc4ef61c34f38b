#include "core/results/RunJournal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <utility>

#include "core/results/RunFiles.h"
#include "core/results/RunJsonValues.h"
#include "core/util/Errors.h"

namespace bertbench {

namespace {

constexpr const char* kJournalFormat = "bertbench-journal";
constexpr int kJournalVersion = 1;

std::string errnoText() { return std::strerror(errno); }

std::string dumpLine(const jsonio::Json& v) {
    return v.dump(-1, ' ', false, jsonio::Json::error_handler_t::replace) + "\n";
}

} // namespace

RunJournal RunJournal::create(const std::string& path, const SweepSpec& spec, const Environment& env) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) throw InputError("cannot create the run journal " + path + ": " + errnoText());
    RunJournal journal(path, f);
    jsonio::Json header = jsonio::Json::object();
    header["format"] = kJournalFormat;
    header["version"] = kJournalVersion;
    header["spec"] = jsonio::specToValue(spec);
    header["environment"] = jsonio::environmentValue(env);
    journal.writeLine(dumpLine(header));
    return journal;
}

RunJournal RunJournal::reopen(const std::string& path) {
    // Cut a torn last line so appended rows start on a line of their own.
    const std::string text = readTextFile(path);
    const size_t lastNewline = text.rfind('\n');
    const size_t keep = lastNewline == std::string::npos ? 0 : lastNewline + 1;
    if (keep != text.size() && ::truncate(path.c_str(), off_t(keep)) != 0)
        throw InputError("cannot repair the run journal " + path + ": " + errnoText());
    std::FILE* f = std::fopen(path.c_str(), "ab");
    if (f == nullptr) throw InputError("cannot reopen the run journal " + path + ": " + errnoText());
    return RunJournal(path, f);
}

RunJournal::RunJournal(RunJournal&& other) noexcept
    : path_(std::move(other.path_)), file_(std::exchange(other.file_, nullptr)) {}

RunJournal& RunJournal::operator=(RunJournal&& other) noexcept {
    if (this != &other) {
        if (file_ != nullptr) std::fclose(file_);
        path_ = std::move(other.path_);
        file_ = std::exchange(other.file_, nullptr);
    }
    return *this;
}

RunJournal::~RunJournal() {
    if (file_ != nullptr) std::fclose(file_);
}

void RunJournal::append(const ResultRow& row) { writeLine(dumpLine(jsonio::resultRowValue(row))); }

void RunJournal::writeLine(const std::string& line) {
    if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fflush(file_) != 0 ||
        ::fsync(::fileno(file_)) != 0)
        throw InputError("cannot write the run journal " + path_ + ": " + errnoText());
}

bool looksLikeJournal(const std::string& text) {
    return text.rfind("{\"format\":\"bertbench-journal\"", 0) == 0;
}

JournalContents readJournal(const std::string& path) {
    const std::string text = readTextFile(path);
    JournalContents out;
    size_t start = 0;
    int lineNo = 0;
    bool haveHeader = false;
    while (start < text.size()) {
        const size_t end = text.find('\n', start);
        const bool complete = end != std::string::npos;
        const std::string line = text.substr(start, complete ? end - start : std::string::npos);
        start = complete ? end + 1 : text.size();
        ++lineNo;
        if (line.empty()) continue;
        jsonio::Json v;
        try {
            v = jsonio::Json::parse(line);
        } catch (const jsonio::Json::exception&) {  // parse_error or number overflow
            if (!complete) {  // the process died while writing this line
                ++out.tornLines;
                break;
            }
            throw FileFormatError(path + ": line " + std::to_string(lineNo) + " of the run journal is not valid JSON");
        }
        try {
            if (!haveHeader) {
                if (!v.is_object() || v.value("format", "") != kJournalFormat)
                    throw FileFormatError(path + ": not a BertBench run journal (line 1 has no \"format\": \"" +
                                          kJournalFormat + "\")");
                std::vector<SpecProblem> problems;
                out.run.spec = jsonio::specFromValue(jsonio::expectObject(v.at("spec"), "spec"), "spec", true, problems);
                if (!problems.empty()) throw jsonio::FieldError{problems.front().field, problems.front().message};
                if (v.contains("environment"))
                    out.run.environment = jsonio::environmentFromJsonValue(v["environment"], "environment");
                haveHeader = true;
            } else {
                out.run.rows.push_back(jsonio::resultRowFromValue(v, "row"));
            }
        } catch (const jsonio::FieldError& e) {
            throw FileFormatError(path + ": line " + std::to_string(lineNo) + ": " + e.field + ": " + e.message);
        } catch (const jsonio::Json::exception& e) {
            throw FileFormatError(path + ": line " + std::to_string(lineNo) + ": " + e.what());
        }
    }
    if (!haveHeader) throw FileFormatError(path + ": the run journal is empty");
    assignMissingModels(out.run);
    return out;
}

namespace {
bool finished(RowStatus s) { return s != RowStatus::Cancelled; }
} // namespace

std::vector<ResultRow> mergeRows(const SweepSpec& spec, const std::vector<ResultRow>& earlier,
                                 const std::vector<ResultRow>& later) {
    std::vector<ResultRow> rows = earlier;
    rows.insert(rows.end(), later.begin(), later.end());
    std::vector<ResultRow> merged;
    for (const Cell& cell : cellsOf(spec))
        for (const std::string& candidate : spec.candidates) {
            const ResultRow* last = nullptr;
            for (const ResultRow& r : rows)
                if (r.cell == cell && r.candidate.backend == candidate && (last == nullptr || finished(r.status) ||
                                                                            !finished(last->status)))
                    last = &r;
            if (last != nullptr) merged.push_back(*last);
        }
    return merged;
}

std::vector<Cell> finishedCells(const Run& run) {
    std::vector<Cell> done;
    for (const Cell& cell : cellsOf(run.spec)) {
        bool all = !run.spec.candidates.empty();
        for (const std::string& candidate : run.spec.candidates) {
            bool found = false;
            for (const ResultRow& r : run.rows)
                if (r.cell == cell && r.candidate.backend == candidate && finished(r.status)) found = true;
            all = all && found;
        }
        if (all) done.push_back(cell);
    }
    return done;
}

} // namespace bertbench
