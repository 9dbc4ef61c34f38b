#pragma once
// What app/ hands the GUI: the backends this build and machine offer (ui/ never knows CUDA),
// how to describe the machine, how to load weights.
#include <QStringList>
#include <functional>

#include "core/backend/Backend.h"
#include "core/sweep/Run.h"
#include "core/sweep/SweepRunner.h"

namespace bertbench::ui {

struct AppContext {
    const BackendRegistry* registry = nullptr;       // outlives the window
    std::function<Environment()> environment;        // empty: core's currentEnvironment()
    WeightsProvider weights = loadWeightsFor;
    // This machine's GPUs ("NVIDIA H200 (0)", by index) for the Sweep panel's choice; two or
    // more show the list. app/ fills it where it can list them.
    QStringList gpus;
};

} // namespace bertbench::ui
