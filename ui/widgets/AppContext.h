#pragma once
// What app/ hands the GUI: the backends this build and machine offer (ui/ never knows CUDA),
// how to describe the machine, how to load weights.
#include <functional>

#include "core/backend/Backend.h"
#include "core/sweep/Run.h"
#include "core/sweep/SweepRunner.h"

namespace bertbench::ui {

struct AppContext {
    const BackendRegistry* registry = nullptr;       // outlives the window
    std::function<Environment()> environment;        // empty: core's currentEnvironment()
    WeightsProvider weights = loadWeightsFor;
};

} // namespace bertbench::ui
