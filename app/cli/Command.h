#pragma once
// A bertbench-cli subcommand: args exclude the program and command names.
// Exit codes: 0 ok, 1 a failed cell / check, 2 bad input, 130 interrupted (Ctrl-C).
#include <iosfwd>
#include <string>
#include <vector>

namespace bertbench::cli {

using CommandArgs = std::vector<std::string>;
constexpr int kExitOk = 0;
constexpr int kExitFailedCell = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitInterrupted = 130;   // 128 + SIGINT, as shells report it

// run: measure a sweep and write run.json, results.csv and the seed-compatible CSVs (RunCommand.cpp).
int runCommand(const CommandArgs& args, std::ostream& out, std::ostream& err);
// demo: `run` on a small CPU grid with the tiny model; run's flags override it (DemoCommand.cpp).
int demoCommand(const CommandArgs& args, std::ostream& out, std::ostream& err);
// verify: every GPU backend against the CPU fp32 reference (app/cli/VerifyCommand.cpp).
int verifyCommand(const CommandArgs& args, std::ostream& out, std::ostream& err);
// list-backends, info (InfoCommands.cpp).
int listBackendsCommand(const CommandArgs& args, std::ostream& out, std::ostream& err);
int listModelsCommand(const CommandArgs& args, std::ostream& out, std::ostream& err);
int infoCommand(const CommandArgs& args, std::ostream& out, std::ostream& err);
// summary FILE...: a table per task × candidate (SummaryCommand.cpp).
int summaryCommand(const CommandArgs& args, std::ostream& out, std::ostream& err);
// convert IN --to native|csv|seed OUT (ConvertCommand.cpp).
int convertCommand(const CommandArgs& args, std::ostream& out, std::ostream& err);

// offline --lengths FILE: the MLPerf-shaped offline scenario; also `run --scenario offline` (OfflineCommand.cpp).
int offlineCommand(const CommandArgs& args, std::ostream& out, std::ostream& err);

// workload FILE: a workload's length distribution, or each example's token count (WorkloadCommand.cpp).
int workloadCommand(const CommandArgs& args, std::ostream& out, std::ostream& err);

// merge RUN... --out DIR: one run from the shards of a sweep (MergeCommand.cpp).
int mergeCommand(const CommandArgs& args, std::ostream& out, std::ostream& err);
// slurm SPEC --array N --out DIR: sbatch scripts for a job array of shards + a merge job (SlurmCommand.cpp).
int slurmCommand(const CommandArgs& args, std::ostream& out, std::ostream& err);
// The hidden worker of `run --gpus` (WorkerCommand.cpp, WorkerProtocol.h).
int workerCommand(const CommandArgs& args, std::ostream& out, std::ostream& err);

// The whole CLI: `argv` without the program name ("run", "--sweep", ...). Dispatches to the
// commands above, handles --help/--version, maps exceptions to exit codes (Cli.cpp).
int runCli(const CommandArgs& argv, std::ostream& out, std::ostream& err);

} // namespace bertbench::cli
