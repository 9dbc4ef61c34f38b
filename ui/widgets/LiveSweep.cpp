#include "ui/widgets/LiveSweep.h"

#include <QLabel>
#include <QProgressBar>
#include <QStatusBar>
#include <QTimer>
#include <algorithm>

#include "ui/models/RowText.h"
#include "ui/models/RunDocument.h"
#include "ui/runner/SweepWorker.h"

namespace bertbench::ui {

QString clockText(double seconds) {
    const qint64 s = qint64(seconds + 0.5);
    if (s >= 3600) return QStringLiteral("%1:%2:%3").arg(s / 3600).arg(s / 60 % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

LiveSweep::LiveSweep(const AppContext& context, QStatusBar* bar, std::function<void(RunDocument*)> openTab,
                     QObject* parent)
    : QObject(parent), context_(context), bar_(bar), openTab_(std::move(openTab)) {
    controller_ = new SweepController(*context_.registry, context_.weights, this);
    connect(controller_, &SweepController::cellStarted, this, [this](const Cell& cell, int index, int total) {
        if (document_) document_->setRunningCell(cell);
        cellLabel_->setText(tr("cell %1/%2").arg(index + 1).arg(total));
        progressBar_->setMaximum(std::max(1, total));
    });
    connect(controller_, &SweepController::rowReady, this, [this](const ResultRow& row) {
        if (document_) document_->appendRow(row);
    });
    connect(controller_, &SweepController::progress, this, [this](const SweepProgress& p) {
        if (document_) document_->setProgress(p);
        progressBar_->setMaximum(std::max(1, p.cellsTotal));
        progressBar_->setValue(p.cellsDone);
        lastEtaS_ = p.etaS;
        sinceProgress_.start();
        tickClock();
    });
    connect(controller_, &SweepController::logLine, this, [this](const QString& line) {
        if (document_) document_->appendLog(line);
    });
    connect(controller_, &SweepController::saved, this, &LiveSweep::saved);
    connect(controller_, &SweepController::finished, this, &LiveSweep::onFinished);
    buildStatusWidgets();
}

bool LiveSweep::isRunning() const { return controller_->isRunning(); }

RunDocument* LiveSweep::document() const { return document_; }

Environment LiveSweep::machine() const {
    return context_.environment ? context_.environment() : currentEnvironment();
}

void LiveSweep::buildStatusWidgets() {
    progressBar_ = new QProgressBar;
    progressBar_->setObjectName(QStringLiteral("progress"));
    progressBar_->setMaximumWidth(220);
    progressBar_->setTextVisible(true);
    progressBar_->setValue(0);
    cellLabel_ = new QLabel(tr("idle"));
    cellLabel_->setObjectName(QStringLiteral("cellLabel"));
    timeLabel_ = new QLabel;
    timeLabel_->setObjectName(QStringLiteral("timeLabel"));
    deviceLabel_ = new QLabel;
    deviceLabel_->setObjectName(QStringLiteral("deviceLabel"));
    const Environment env = machine();
    bool cuda = false;
    for (const std::string& n : context_.registry->names()) cuda = cuda || n.rfind("cuda", 0) == 0;
    deviceLabel_->setText(cuda && !env.gpu.empty() ? tr("GPU: %1").arg(qstr(env.gpu)) : tr("CPU: %1").arg(qstr(env.cpu)));
    deviceLabel_->setToolTip(tr("host %1\nCPU %2\nBLAS %3\nGPU %4\ndriver %5, CUDA runtime %6")
                                 .arg(qstr(env.host), qstr(env.cpu), qstr(env.blas),
                                      env.gpu.empty() ? tr("none") : qstr(env.gpu), qstr(env.driver), qstr(env.cudaRuntime)));
    bar_->addPermanentWidget(cellLabel_);
    bar_->addPermanentWidget(progressBar_);
    bar_->addPermanentWidget(timeLabel_);
    bar_->addPermanentWidget(deviceLabel_);
    clock_ = new QTimer(this);
    clock_->setInterval(1000);
    connect(clock_, &QTimer::timeout, this, &LiveSweep::tickClock);
}

bool LiveSweep::launch(const SweepSpec& spec, const QString& title, const QString& savePath,
                       const SweepResume& resume, const SweepRunOptions& options) {
    if (isRunning()) return false;
    const Environment env = machine();
    auto* doc = new RunDocument(title);
    doc->beginLive(spec, env);
    document_ = doc;
    openTab_(doc);
    progressBar_->setValue(0);
    progressBar_->setMaximum(1);
    cellLabel_->setText(tr("starting…"));
    lastEtaS_ = -1;
    sweepClock_.start();
    sinceProgress_.start();
    controller_->start(spec, env, savePath, resume, options);
    clock_->start();
    tickClock();
    emit runningChanged();
    bar_->showMessage(resume.journalPath.isEmpty() ? tr("Sweep started") : tr("Sweep resumed"), 3000);
    return true;
}

void LiveSweep::stop() {
    if (!isRunning()) return;
    controller_->stop();
    cellLabel_->setText(tr("stopping after this forward pass…"));
}

void LiveSweep::onFinished(const Run& run, bool cancelled, const QString& error) {
    clock_->stop();
    const double elapsed = sweepClock_.elapsed() / 1000.0;
    if (document_) document_->finishLive(run);
    document_ = nullptr;
    progressBar_->setValue(progressBar_->maximum() > 0 && !cancelled && error.isEmpty() ? progressBar_->maximum()
                                                                                         : progressBar_->value());
    const QString state = !error.isEmpty() ? tr("failed") : cancelled ? tr("stopped") : tr("finished");
    cellLabel_->setText(tr("%1 · %n rows", nullptr, int(run.rows.size())).arg(state));
    timeLabel_->setText(tr("took %1").arg(clockText(elapsed)));
    if (!error.isEmpty()) emit errorOccurred(tr("Sweep failed"), error);
    else bar_->showMessage(tr("Sweep %1 in %2").arg(state, clockText(elapsed)), 6000);
    emit runningChanged();
}

void LiveSweep::tickClock() {
    if (!isRunning()) return;
    const double elapsed = sweepClock_.elapsed() / 1000.0;
    QString text = tr("elapsed %1").arg(clockText(elapsed));
    if (lastEtaS_ >= 0) {
        const double eta = std::max(0.0, lastEtaS_ - sinceProgress_.elapsed() / 1000.0);
        text += tr(" · ETA %1").arg(clockText(eta));
    } else {
        text += tr(" · ETA …");
    }
    timeLabel_->setText(text);
}

} // namespace bertbench::ui
