#pragma once
// How rows read on screen: axis labels, states, and the full-row tooltip.
#include <QString>

#include "core/sweep/Run.h"
#include "core/sweep/RunAxes.h"
#include "ui/models/HeatmapGrid.h"

namespace bertbench::ui {

QString padLabel(double pad);                 // "0", "0.1", "0.75"
// A heatmap row's label: the pad ("0.1"), or a data workload's batching policy ("sorted").
QString axisRowLabel(const AxisRow& row);
// The y axis's title: "pad fraction", or "batching" when the rows are a data workload's policies.
QString axisRowsTitle(const RunAxes& axes);
// "pad 0.1", or "sorted batches" for a data workload's cell.
QString cellPadText(const Cell& cell);
QString qstr(const std::string& s);
// The model a run measured; the old script's CSVs do not record it.
QString modelText(const Run& run);
// The run's data type as asked ("fp16"), and what ran where a backend ran another ("fp8; cuda:x
// ran fp16": Backend::dtypeRan, recorded as the kernel option dtype_ran); empty for the old
// script's CSV, which records none.
QString dtypeText(const Run& run);
bool isFromSeedCsv(const Run& run);
CellState stateOf(const ResultRow& row);      // Ok / Oom / Error / Cancelled
// "4.65 ms (p10–p90 4.60–4.71)"; only the median for rows from the old CSVs.
QString latencyText(const Measurement& m);
// "NVIDIA H200 #1" for a row that records its GPU; empty when not recorded.
QString gpuText(const GpuIdentity& gpu);
// Rich text: cell, status, both latencies with p10–p90, peaks, speedup, memory saved,
// output error, tokens and batches; the message of a failed row.
QString rowTooltip(const ResultRow& row);
// The speedup's 95 % interval and verdict in words ("same: the 95 % interval −3.1 … +5.2 % holds 0"),
// and each side's forwards and why its timing stopped; empty when the row recorded none.
QString uncertaintyText(const ResultRow& row);

} // namespace bertbench::ui
