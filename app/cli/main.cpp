// bertbench-cli: the headless BertBench. Every command lives in bertbench_cli_lib (Cli.cpp).
#include <iostream>

#include "app/cli/Command.h"

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(true);
    const bertbench::cli::CommandArgs args(argv + 1, argv + argc);
    const int code = bertbench::cli::runCli(args, std::cout, std::cerr);
    std::cout.flush();
    return code;
}
