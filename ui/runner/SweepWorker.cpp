#include "ui/runner/SweepWorker.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMetaObject>

#include <optional>

#include "core/results/RunFiles.h"
#include "core/results/RunJournal.h"
#include "core/workload/Workload.h"
#include "core/util/Errors.h"

namespace bertbench::ui {
namespace {

class SignalObserver : public SweepObserver {
public:
    explicit SignalObserver(SweepWorker& w) : w_(w) {}
    void cellStarted(const Cell& cell, int index, int total) override { emit w_.cellStarted(cell, index, total); }
    void rowReady(const ResultRow& row) override { emit w_.rowReady(row); }
    void progress(const SweepProgress& p) override { emit w_.progress(p); }
    void log(const std::string& line) override { emit w_.logLine(QString::fromStdString(line)); }

private:
    SweepWorker& w_;
};

void fillMissing(Environment& env, const Environment& machine) {
    if (env.host.empty()) {
        const std::string start = env.startTime, end = env.endTime;
        env = machine;
        if (!start.empty()) env.startTime = start;
        if (!end.empty()) env.endTime = end;
        return;
    }
    if (env.gpu.empty()) env.gpu = machine.gpu;
    if (env.driver.empty()) env.driver = machine.driver;
    if (env.cudaRuntime.empty()) env.cudaRuntime = machine.cudaRuntime;
}

} // namespace

SweepWorker::SweepWorker(const BackendRegistry& registry, WeightsProvider weights)
    : registry_(registry), weights_(std::move(weights)) {}

QString journalPathFor(const QString& savePath) {
    QString path = savePath;
    if (path.endsWith(QStringLiteral(".json"))) path.chop(5);
    return path + QStringLiteral(".journal");
}

void SweepWorker::run(const SweepSpec& requested, const Environment& environment, const QString& savePath,
                      const SweepResume& resume) {
    SignalObserver toGui(*this);
    // A data workload: read (and tokenized) here, off the GUI thread, its identity written into the
    // spec before the journal takes it, so that a resume checks it has the same data.
    SweepSpec spec = requested;
    WorkloadRecord workload;
    try {
        workload = loadWorkload(spec);
        recordWorkloadIdentity(spec, workload);
        if (workload.recorded()) emit logLine(QStringLiteral("workload: ") + QString::fromStdString(describeWorkload(workload)));
    } catch (const std::exception& e) {
        const QString error = QString::fromStdString(e.what());
        emit logLine(QStringLiteral("sweep failed: ") + error);
        Run nothing;
        nothing.spec = spec;
        nothing.environment = environment;
        emit finished(nothing, false, error);
        return;
    }
    std::optional<RunJournal> journal;
    const QString journalPath = !resume.journalPath.isEmpty() ? resume.journalPath
                                : savePath.isEmpty()           ? QString()
                                                               : journalPathFor(savePath);
    if (!journalPath.isEmpty()) {
        try {
            QDir().mkpath(QFileInfo(journalPath).absolutePath());
            journal = QFileInfo::exists(journalPath) && !resume.journalPath.isEmpty()
                          ? RunJournal::reopen(journalPath.toStdString())
                          : RunJournal::create(journalPath.toStdString(), spec, environment);
        } catch (const std::exception& e) {
            emit logLine(QStringLiteral("no run journal (a crash would lose the rows): ") + QString::fromStdString(e.what()));
        }
    }
    std::optional<JournalingObserver> journaling;
    if (journal) journaling.emplace(toGui, *journal);
    SweepObserver& observer = journaling ? static_cast<SweepObserver&>(*journaling) : toGui;
    // A resumed sweep shows what it already had before measuring the rest.
    for (const ResultRow& row : resume.previousRows) emit rowReady(row);

    Run result;
    result.spec = spec;
    result.environment = environment;
    QString error;
    try {
        SweepRunner runner(registry_, weights_);
        runner.setWorkload(workload);
        result = runner.run(spec, observer, cancel_, resume.skip);
        fillMissing(result.environment, environment);
        if (result.environment.endTime.empty()) result.environment.endTime = isoTimeNow();
        if (!resume.previousRows.empty()) result.rows = mergeRows(spec, resume.previousRows, result.rows);
    } catch (const std::exception& e) {
        error = QString::fromStdString(e.what());
        emit logLine(QStringLiteral("sweep failed: ") + error);
    }
    if (error.isEmpty() && !savePath.isEmpty()) {
        try {
            QDir().mkpath(QFileInfo(savePath).absolutePath());
            writeRunJson(result, savePath.toStdString());
            emit saved(savePath);
            emit logLine(QStringLiteral("saved ") + savePath);
            journal.reset();
            if (!journalPath.isEmpty()) QFile::remove(journalPath);   // the run file holds every row now
        } catch (const std::exception& e) {
            emit logLine(QStringLiteral("could not save the run: ") + QString::fromStdString(e.what()));
        }
    }
    emit finished(result, cancel_.load(), error);
}

SweepController::SweepController(const BackendRegistry& registry, WeightsProvider weights, QObject* parent)
    : QObject(parent) {
    thread_.setObjectName(QStringLiteral("bertbench-sweep"));
    worker_ = new SweepWorker(registry, std::move(weights));
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(worker_, &SweepWorker::cellStarted, this, &SweepController::cellStarted);
    connect(worker_, &SweepWorker::rowReady, this, &SweepController::rowReady);
    connect(worker_, &SweepWorker::progress, this, &SweepController::progress);
    connect(worker_, &SweepWorker::logLine, this, &SweepController::logLine);
    connect(worker_, &SweepWorker::saved, this, &SweepController::saved);
    connect(worker_, &SweepWorker::finished, this,
            [this](const Run& run, bool cancelled, const QString& error) {
                running_ = false;
                emit finished(run, cancelled, error);
            });
    thread_.start();
}

SweepController::~SweepController() {
    worker_->requestStop();
    thread_.quit();
    thread_.wait();
}

bool SweepController::start(const SweepSpec& spec, const Environment& environment, const QString& savePath,
                            const SweepResume& resume, const SweepRunOptions& options) {
    if (running_) return false;
    running_ = true;
    worker_->clearStop();   // before queuing: a Stop pressed right after Run must still count
    emit started();
    // The registry (and so the torch:* interpreter) is built by app/ at start; the runner here
    // measures in this process. Say what the settings mean for this sweep.
    const auto usesTorch = [&] {
        if (spec.baseline.rfind("torch:", 0) == 0) return true;
        for (const std::string& c : spec.candidates)
            if (c.rfind("torch:", 0) == 0) return true;
        return false;
    };
    if (usesTorch()) emit logLine(QStringLiteral("torch:* backends run in ") + QString::fromStdString(options.python));
    if (options.gpus.size() > 1) {
        QStringList ids;
        for (int g : options.gpus) ids << QString::number(g);
        emit logLine(QStringLiteral("GPUs %1 chosen; this window measures in one process on the default device "
                                    "(bertbench-cli run --gpus %1 spreads the cells over them)")
                         .arg(ids.join(QLatin1Char(','))));
    }
    QMetaObject::invokeMethod(
        worker_, [w = worker_, spec, environment, savePath, resume] { w->run(spec, environment, savePath, resume); },
        Qt::QueuedConnection);
    return true;
}

void SweepController::stop() {
    if (running_) worker_->requestStop();
}

} // namespace bertbench::ui
