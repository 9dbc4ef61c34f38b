#include "core/workload/Workload.h"

#include <filesystem>
#include <map>
#include <memory>

#include "core/model/ModelConfig.h"
#include "core/util/Errors.h"
#include "core/util/Sha256.h"
#include "core/workload/LengthDistribution.h"
#include "core/workload/TokenizerFiles.h"
#include "core/workload/WorkloadFiles.h"

namespace bertbench {

namespace fs = std::filesystem;

namespace {

std::string shortHash(const std::string& sha) { return sha.size() > 12 ? sha.substr(0, 12) + "…" : sha; }

// The folder whose tokenizer counts `model`'s tokens.
std::string tokenizerFolderOf(const WorkloadSpec& w, const std::string& model) {
    if (!w.tokenizer.empty()) return w.tokenizer;
    std::error_code ec;
    if (fs::is_directory(model, ec)) return model;
    if (isPreset(model))
        throw InputError("workload " + w.file + ": model " + model +
                         " is a preset and has no tokenizer files; name a tokenizer folder for the texts (--tokenizer DIR, "
                         "spec workload.tokenizer), or give token counts with --lengths");
    throw InputError("workload " + w.file + ": model " + model + " is neither a preset nor a checkpoint folder");
}

} // namespace

WorkloadRecord loadWorkload(const SweepSpec& spec) {
    const WorkloadSpec& w = spec.workload;
    WorkloadRecord record;
    if (!w.isData()) return record;
    if (w.file.empty()) throw InputError("workload: no file named (workload.file)");
    std::error_code ec;
    if (!fs::exists(w.file, ec)) throw InputError("workload file " + w.file + " does not exist");
    if (fs::is_directory(w.file, ec)) throw InputError("workload file " + w.file + " is a folder, not a file");
    record.kind = w.kind;
    record.file = w.file;
    record.textField = w.textField;
    record.sha256 = sha256OfFile(w.file, &record.bytes);
    if (!w.sha256.empty() && w.sha256 != record.sha256)
        throw InputError("workload file " + w.file + " is not the data this run recorded (SHA-256 " + shortHash(w.sha256) +
                         (w.bytes >= 0 ? ", " + std::to_string(w.bytes) + " bytes" : std::string()) + " then; " +
                         shortHash(record.sha256) + ", " + std::to_string(record.bytes) +
                         " bytes now): a rerun or resume must measure the same data; restore the file or start a new run");

    if (w.kind == WorkloadKind::Lengths) {
        record.models.push_back({"", "", readLengthsFile(w.file)});
        return record;
    }
#ifndef BERTBENCH_HAVE_TOKENIZERS
    throw InputError("workload " + w.file + ": a texts workload needs a tokenizer, and this build has none (built with "
                     "BERTBENCH_TOKENIZERS=OFF, as the device preset is): count the tokens with a default build, "
                     "`bertbench-cli workload FILE --tokenizer DIR --counts > lengths.txt`, and run with --lengths lengths.txt");
#endif
    const std::vector<TextExample> texts = readTextsFile(w.file, w.textField);
    // One tokenizer per folder, however many models share it.
    std::map<std::string, std::pair<std::string, std::vector<int>>> byFolder;
    for (const std::string& model : spec.models) {
        const std::string folder = tokenizerFolderOf(w, model);
        auto it = byFolder.find(folder);
        if (it == byFolder.end()) {
            const std::unique_ptr<TokenCounter> tokenizer = loadTokenizer(folder);
            std::string description = tokenizer->description();
            if (description.find(folder) == std::string::npos) description += " from " + folder;
            it = byFolder.emplace(folder, std::make_pair(description, countTokens(*tokenizer, texts))).first;
        }
        record.models.push_back({model, it->second.first, it->second.second});
    }
    return record;
}

void recordWorkloadIdentity(SweepSpec& spec, const WorkloadRecord& workload) {
    if (!workload.recorded()) return;
    spec.workload.sha256 = workload.sha256;
    spec.workload.bytes = workload.bytes;
}

std::string describeWorkload(const WorkloadRecord& w) {
    if (!w.recorded()) return "synthetic";
    const size_t examples = w.models.front().lengths.size();
    std::string s = std::to_string(examples) + " examples of " + fs::path(w.file).filename().string() + " (" +
                    toString(w.kind) + ", " + std::to_string(w.bytes) + " bytes, SHA-256 " + shortHash(w.sha256) + ")";
    for (const WorkloadLengths& m : w.models)
        if (!m.tokenizer.empty()) s += "; " + (m.model.empty() ? std::string("every model") : modelLabel(m.model)) + ": " + m.tokenizer;
    return s;
}

} // namespace bertbench
