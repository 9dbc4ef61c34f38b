#include "app/cli/SlurmScripts.h"

#include <regex>

namespace bertbench::cli {

std::string shellQuote(const std::string& text) {
    std::string q = "'";
    for (char c : text) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

bool isSlurmTime(const std::string& text) {
    static const std::regex form(R"(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+|\d+-\d+:\d{1,2}|\d+-\d+:\d{1,2}:\d{1,2})");
    return text == "UNLIMITED" || text == "INFINITE" || std::regex_match(text, form);
}

namespace {

// Values that reach #SBATCH lines were checked by the command (no spaces, no shell syntax).
std::string directives(const SlurmJob& job, bool shards) {
    std::string d;
    if (!job.partition.empty()) d += "#SBATCH --partition=" + job.partition + "\n";
    if (shards) {
        d += "#SBATCH --array=0-" + std::to_string(job.tasks - 1) + "\n";
        if (!job.gres.empty()) d += "#SBATCH --gres=" + job.gres + "\n";
        if (!job.time.empty()) d += "#SBATCH --time=" + job.time + "\n";
        if (job.cpusPerTask > 0) d += "#SBATCH --cpus-per-task=" + std::to_string(job.cpusPerTask) + "\n";
    }
    return d;
}

std::string paths(const SlurmJob& job) {
    return "CLI=" + shellQuote(job.cli) + "\nSPEC=" + shellQuote(job.spec) + "\nOUT=" + shellQuote(job.outDir) + "\n";
}

} // namespace

SlurmScripts makeSlurmScripts(const SlurmJob& job) {
    const std::string n = std::to_string(job.tasks);
    const std::string threads = job.cpusPerTask > 0 ? " --threads " + std::to_string(job.cpusPerTask) : "";
    SlurmScripts s;
    s.array = "#!/bin/bash\n"
              "# BertBench: task i of this job array measures shard i/" + n + " of the sweep in $SPEC.\n"
              "# Written by bertbench-cli slurm; submit with submit.sh (next to this file).\n"
              "#SBATCH --job-name=bertbench-shards\n" +
              directives(job, true) +
              "set -u\n" + paths(job) +
              "task=${SLURM_ARRAY_TASK_ID:?run this as a SLURM array task: sbatch --array=0-" +
              std::to_string(job.tasks - 1) + "}\n"
              "dir=\"$OUT/shard-$task\"\n"
              "if [ -e \"$dir/run.journal\" ]; then\n"
              "    # A requeued or restarted task continues its shard instead of measuring it again.\n"
              "    \"$CLI\" run --resume \"$dir\" --quiet" + threads + "\n"
              "else\n"
              "    \"$CLI\" run --spec \"$SPEC\" --shard \"$task/" + n + "\" --out \"$dir\" --quiet" + threads + "\n"
              "fi\n"
              "rc=$?\n"
              "# 1 = some rows are oom/error: the shard's files are complete, and the merge (afterok)\n"
              "# should still run; the status column says which cells failed.\n"
              "if [ \"$rc\" -eq 1 ]; then\n"
              "    echo \"bertbench: some rows of shard $task failed (see the status column)\" >&2\n"
              "    exit 0\n"
              "fi\n"
              "exit \"$rc\"\n";
    s.merge = "#!/bin/bash\n"
              "# BertBench: merges the " + n + " shards of the job array into $OUT/merged.\n"
              "# Submitted by submit.sh with --dependency=afterok:<array job id>.\n"
              "#SBATCH --job-name=bertbench-merge\n" +
              directives(job, false) +
              "set -u\n" + paths(job) +
              "shards=()\n"
              "for ((i = 0; i < " + n + "; i++)); do shards+=(\"$OUT/shard-$i\"); done\n"
              "exec \"$CLI\" merge \"${shards[@]}\" --out \"$OUT/merged\"\n";
    s.submit = "#!/bin/sh\n"
               "# Submits the shard array, then the merge job, which starts once every shard succeeded.\n"
               "set -eu\n"
               "OUT=" + shellQuote(job.outDir) + "\n"
               "array=$(sbatch --parsable --output=\"$OUT/slurm/shard-%a.out\" \"$OUT/slurm/array.sbatch\")\n"
               "array=${array%%;*}   # --parsable prints \"jobid\" or \"jobid;cluster\"\n"
               "merge=$(sbatch --parsable --dependency=afterok:\"$array\" --output=\"$OUT/slurm/merge.out\" "
               "\"$OUT/slurm/merge.sbatch\")\n"
               "merge=${merge%%;*}\n"
               "echo \"array_job=$array\"\n"
               "echo \"merge_job=$merge\"\n"
               "echo \"merged run, once job $merge has ended: $OUT/merged/run.json\"\n";
    return s;
}

} // namespace bertbench::cli
