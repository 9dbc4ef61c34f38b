// `demo`: the default sweep that shows BertBench working on any machine in well under a
// minute on 2 cores: CPU, the tiny model, eager vs sdpa and flash_attention_2.
#include <algorithm>

#include "app/cli/CliSupport.h"
#include "app/cli/RunCommand.h"
#include "app/cli/RunPlan.h"

namespace bertbench::cli {

namespace {

const CommandArgs kDemoArgs{"--device",      "cpu",
                            "--model",       "tiny",
                            "--tasks",       "encoder",
                            "--baseline",    "cpu:eager",
                            "--backends",    "cpu:sdpa,cpu:flash_attention_2",
                            "--batch-sizes", "1,4,16",
                            "--seq-lens",    "64,128",
                            "--pads",        "0,0.5",
                            "--max-noise",   "2",
                            "--max-time",    "1"};

const CommandHelp& demoHelp() {
    static const CommandHelp help = [] {
        CommandHelp h = runHelp();
        h.usage = "bertbench-cli demo [run options]";
        h.summary =
            "The default demo sweep: `run` with\n  " + joinStrings(kDemoArgs, " ") +
            "\n(12 cells, adaptive sampling: each backend timed until its median is known to\n"
            "+-2%, at most 1 s a cell; well under a minute on 2 cores). Every `run` option is\n"
            "accepted and overrides the demo's value, e.g. `demo --out runs/demo --threads 2`;\n"
            "--num-batches N times a fixed count instead.";
        return h;
    }();
    return help;
}

} // namespace

int demoCommand(const CommandArgs& args, std::ostream& out, std::ostream& err) {
    return guardedCommand("demo", err, [&] {
        CommandArgs all = kDemoArgs;
        // A fixed count asked for replaces the demo's adaptive sampling (the two exclude each other).
        if (std::find(args.begin(), args.end(), "--num-batches") != args.end()) all.resize(all.size() - 4);
        all.insert(all.end(), args.begin(), args.end());
        return executeRun("demo", demoHelp(), all, out, err);
    });
}

} // namespace bertbench::cli
