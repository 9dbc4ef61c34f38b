#pragma once
// `plot FILE|DIR... --out DIR`: the GUI's heatmaps, lines and report figures rendered headless
// (offscreen) through ui/report — one rendering path shared with the GUI. GUI builds only.
#include "app/cli/Command.h"

namespace bertbench::cli {

int plotCommand(const CommandArgs& args, std::ostream& out, std::ostream& err);

} // namespace bertbench::cli
