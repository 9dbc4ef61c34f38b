#include "ui/models/RowText.h"

#include <cmath>

namespace bertbench::ui {
namespace {

QString ms(double v) { return QString::number(v, 'f', v < 10 ? 3 : 2) + QStringLiteral(" ms"); }
QString mb(double v) { return QString::number(v, 'f', 1) + QStringLiteral(" MB"); }

QString percent(double v) {
    if (!std::isfinite(v)) return QStringLiteral("n/a");
    return formatCellValue(v, ValueKind::Percent) + QStringLiteral(" %");
}

QString joules(double j) {
    if (j < 0) return QStringLiteral("n/a");
    return j < 0.1 ? QString::number(j * 1000, 'f', 2) + QStringLiteral(" mJ") : QString::number(j, 'f', 3) + QStringLiteral(" J");
}

// Energy, efficiency, the throttle flag, compile time and GPU, where the row recorded them.
QString profileLines(const ResultRow& row) {
    QString html;
    const Energy& be = row.baseline.energy;
    const Energy& ce = row.candidate.energy;
    if (be.available || ce.available) {
        html += QStringLiteral("<br>energy per forward %1 → %2 · per 1k tokens %3 → %4 · saved <b>%5</b>")
                    .arg(joules(be.joulesPerForward), joules(ce.joulesPerForward), joules(be.joulesPer1kTokens),
                         joules(ce.joulesPer1kTokens), percent(row.energySavedPercent()));
        if (ce.meanPowerW > 0)
            html += QStringLiteral("<br>candidate %1 W, SM clock %2 → %3 MHz, %4 → %5 °C")
                        .arg(ce.meanPowerW, 0, 'f', 0)
                        .arg(ce.smClockStartMhz, 0, 'f', 0)
                        .arg(ce.smClockEndMhz, 0, 'f', 0)
                        .arg(ce.tempStartC, 0, 'f', 0)
                        .arg(ce.tempEndC, 0, 'f', 0);
    }
    if (be.throttled || ce.throttled)
        html += QStringLiteral("<br><b style=\"color:#b35c00\">⚠ throttled</b>: the SM clock dropped by more than 10 % "
                               "during the %1's timed window").arg(ce.throttled ? QStringLiteral("candidate") : QStringLiteral("baseline"));
    if (row.candidate.compileMs >= 0)
        html += QStringLiteral("<br>candidate compiled in %1 ms (not in the latency)").arg(row.candidate.compileMs, 0, 'f', 0);
    if (const QString gpu = gpuText(row.gpu); !gpu.isEmpty()) html += QStringLiteral("<br>GPU: ") + gpu.toHtmlEscaped();
    const Efficiency& e = row.candidate.efficiency;
    if (e.recorded && e.achievedTflops >= 0) {
        html += QStringLiteral("<br>candidate %1 TFLOP/s · %2 tokens/s").arg(e.achievedTflops, 0, 'f', 2).arg(e.tokensPerS, 0, 'f', 0);
        if (e.pctOfPeak >= 0) html += QStringLiteral(" · %1 % of GEMM peak").arg(e.pctOfPeak, 0, 'f', 1);
    }
    return html;
}

} // namespace

QString axisRowLabel(const AxisRow& row) {
    return row.batching == Batching::None ? padLabel(row.pad) : qstr(toString(row.batching));
}

QString axisRowsTitle(const RunAxes& axes) {
    return rowsAreBatching(axes) ? QStringLiteral("batching") : QStringLiteral("pad fraction");
}

QString cellPadText(const Cell& cell) {
    return cell.batching == Batching::None ? QStringLiteral("pad %1").arg(padLabel(cell.pad))
                                           : qstr(toString(cell.batching)) + QStringLiteral(" batches");
}

QString qstr(const std::string& s) { return QString::fromStdString(s); }

QString padLabel(double pad) { return QString::number(pad, 'g', 4); }

QString gpuText(const GpuIdentity& gpu) {
    if (gpu.name.empty() && gpu.index < 0) return {};
    QString text = QString::fromStdString(gpu.name);
    if (gpu.index >= 0) text += QStringLiteral(" #%1").arg(gpu.index);
    return text.trimmed();
}

bool isFromSeedCsv(const Run& run) { return run.environment.source.rfind("seed-csv", 0) == 0; }

QString modelText(const Run& run) {
    if (isFromSeedCsv(run)) return QStringLiteral("model not recorded (the old script's CSV)");
    QStringList names;
    for (const std::string& m : run.spec.models) names << (m.empty() ? QStringLiteral("model not recorded") : qstr(m));
    return names.join(QStringLiteral(", "));
}

QString dtypeText(const Run& run) {
    if (isFromSeedCsv(run)) return {};
    const std::string asked = toString(run.spec.dtype);
    QStringList other;
    for (const auto& [backend, options] : run.environment.kernelOptions) {
        // A baseline with a data type of its own is recorded under its label and asked for that type.
        const std::string own = backend == baselineLabel(run.spec) ? toString(baselineDTypeOf(run.spec)) : asked;
        for (const KernelOption& o : options)
            if (o.name == "dtype_ran" && o.value != own) other << qstr(backend) + QStringLiteral(" ran ") + qstr(o.value);
    }
    return other.isEmpty() ? qstr(asked) : qstr(asked) + QStringLiteral("; ") + other.join(QStringLiteral(", "));
}

CellState stateOf(const ResultRow& row) {
    switch (row.status) {
    case RowStatus::Ok: return CellState::Ok;
    case RowStatus::Oom: return CellState::Oom;
    case RowStatus::Error: return CellState::Error;
    case RowStatus::Cancelled: return CellState::Cancelled;
    }
    return CellState::Error;
}

QString latencyText(const Measurement& m) {
    if (!m.hasStats || m.latency.samples <= 1) return ms(m.latency.medianMs);
    return ms(m.latency.medianMs) + QStringLiteral(" (p10–p90 %1–%2)")
                                        .arg(m.latency.p10Ms, 0, 'f', m.latency.p10Ms < 10 ? 3 : 2)
                                        .arg(m.latency.p90Ms, 0, 'f', m.latency.p90Ms < 10 ? 3 : 2);
}

namespace {
QString signedPct(double v) {
    return (v < 0 ? QString(QChar(0x2212)) : QStringLiteral("+")) + QString::number(std::fabs(v), 'f', 1);
}
QString forwardsText(const Measurement& m) {
    const std::string stop = toString(m.stop);
    return QString::number(m.latency.samples) + (stop.empty() ? QString() : QStringLiteral(" (%1)").arg(qstr(stop)));
}
} // namespace

QString uncertaintyText(const ResultRow& row) {
    QString html;
    if (row.speedupCiPct.valid()) {
        const QString range = QStringLiteral("%1 … %2 %").arg(signedPct(row.speedupCiPct.lo), signedPct(row.speedupCiPct.hi));
        switch (row.verdict) {
        case Verdict::Same:
            html += QStringLiteral("<b>same</b>: the speedup's 95 % interval %1 holds 0").arg(range);
            break;
        case Verdict::Faster:
        case Verdict::Slower:
            html += QStringLiteral("<b>%1</b>: the speedup's 95 % interval is %2").arg(qstr(toString(row.verdict)), range);
            break;
        case Verdict::Unknown: html += QStringLiteral("speedup's 95 % interval %1").arg(range); break;
        }
    } else if (row.baseline.stop != StopReason::Unknown) {
        html += QStringLiteral("no verdict: too few forwards for a 95 % interval");
    }
    if (row.baseline.stop != StopReason::Unknown || row.candidate.stop != StopReason::Unknown) {
        if (!html.isEmpty()) html += QStringLiteral("<br>");
        html += QStringLiteral("forwards: baseline %1, candidate %2").arg(forwardsText(row.baseline), forwardsText(row.candidate));
        if (!row.timing.empty()) html += QStringLiteral(" · %1").arg(qstr(row.timing));
    }
    return html;
}

QString rowTooltip(const ResultRow& row) {
    const Cell& c = row.cell;
    QString html;
    html += QStringLiteral("<b>%1 vs %2</b> · %3<br>")
                .arg(qstr(row.candidate.backend).toHtmlEscaped(),
                     qstr(row.baseline.backend).toHtmlEscaped(), qstr(toString(c.task)));
    html += QStringLiteral("batch %1 · seq len %2 · %3 · <b>%4</b>")
                .arg(c.batchSize)
                .arg(c.seqLen)
                .arg(cellPadText(c), qstr(toString(row.status)));
    if (row.status != RowStatus::Ok && !row.message.empty())
        html += QStringLiteral("<br><i>%1</i>").arg(qstr(row.message).toHtmlEscaped());
    if (row.status != RowStatus::Ok && row.candidate.latency.medianMs <= 0) return html;

    html += QStringLiteral("<table cellspacing=0 cellpadding=2>"
                           "<tr><td></td><td><b>baseline</b></td><td><b>candidate</b></td></tr>");
    html += QStringLiteral("<tr><td>latency</td><td>%1</td><td>%2</td></tr>")
                .arg(latencyText(row.baseline), latencyText(row.candidate));
    html += QStringLiteral("<tr><td>peak memory</td><td>%1</td><td>%2</td></tr></table>")
                .arg(mb(row.baseline.peakMemMb), mb(row.candidate.peakMemMb));
    html += QStringLiteral("speedup <b>%1</b> · memory saved <b>%2</b>")
                .arg(percent(row.speedupPercent()), percent(row.memorySavedPercent()));
    if (const QString u = uncertaintyText(row); !u.isEmpty()) html += QStringLiteral("<br>") + u;
    if (row.maxAbsError >= 0)
        html += QStringLiteral("<br>output error vs baseline: max abs %1, relative %2")
                    .arg(row.maxAbsError, 0, 'g', 3)
                    .arg(row.relError, 0, 'g', 3);
    if (std::isfinite(row.taskAgreementPct))
        html += QStringLiteral("<br>task agreement with the baseline: %1 % of the decisions")
                    .arg(row.taskAgreementPct, 0, 'f', row.taskAgreementPct >= 100 ? 0 : 2);
    html += profileLines(row);
    QStringList facts;
    if (row.realTokens > 0 && c.batching != Batching::None) {
        // A data workload's cell: what the data gave.
        facts << QStringLiteral("%1 real tokens a batch").arg(row.realTokens);
        if (std::isfinite(row.realisedPad)) facts << QStringLiteral("pad %1").arg(row.realisedPad, 0, 'f', 3);
        if (row.workloadRows > 0)
            facts << QStringLiteral("%1 of %2 rows truncated").arg(row.truncatedRows).arg(row.workloadRows);
        if (row.candidate.efficiency.tokensPerS > 0)
            facts << QStringLiteral("%1 tokens/s (baseline %2)")
                         .arg(row.candidate.efficiency.tokensPerS, 0, 'f', 0)
                         .arg(row.baseline.efficiency.tokensPerS, 0, 'f', 0);
    } else if (row.realTokens > 0) {
        facts << QStringLiteral("%1 of %2 tokens real")
                     .arg(row.realTokens)
                     .arg(qint64(c.batchSize) * c.seqLen);
    }
    if (row.numBatches > 0) facts << QStringLiteral("%1 timed batches").arg(row.numBatches);
    if (row.isHalf) facts << QStringLiteral("half precision");
    if (!facts.isEmpty()) html += QStringLiteral("<br>") + facts.join(QStringLiteral(" · "));
    return html;
}

} // namespace bertbench::ui
