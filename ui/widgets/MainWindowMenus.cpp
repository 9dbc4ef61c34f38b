#include "ui/widgets/MainWindowMenus.h"

#include <QAction>
#include <QDockWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QStyle>
#include <QToolBar>

#include "ui/widgets/ExportActions.h"
#include "ui/widgets/MainWindow.h"
#include "ui/widgets/RecentFiles.h"
#include "ui/widgets/RunView.h"

namespace bertbench::ui {

MainWindowActions buildMainMenus(MainWindow& w, ExportActions& exports, RecentFiles& recent) {
    MainWindowActions actions;
    QStyle* style = w.style();
    QMenu* file = w.menuBar()->addMenu(MainWindow::tr("&File"));
    QAction* open = file->addAction(style->standardIcon(QStyle::SP_DialogOpenButton), MainWindow::tr("&Open runs…"), &w,
                                    &MainWindow::openDialog);
    open->setShortcut(QKeySequence::Open);
    file->addMenu(recent.menu());
    file->addSeparator();
    QAction* save = file->addAction(style->standardIcon(QStyle::SP_DialogSaveButton), MainWindow::tr("&Save run as…"),
                                    &exports, &ExportActions::saveRunDialog);
    save->setShortcut(QKeySequence::Save);
    QMenu* exportMenu = file->addMenu(MainWindow::tr("&Export"));
    QAction* csv = exportMenu->addAction(MainWindow::tr("Native &CSV…"), &exports, &ExportActions::exportNativeCsvDialog);
    QAction* seed = exportMenu->addAction(MainWindow::tr("&Seed-compatible CSVs (old script's format)…"), &exports,
                                          &ExportActions::exportSeedCsvDialog);
    exportMenu->addSeparator();
    QAction* chart = exportMenu->addAction(MainWindow::tr("Current c&hart as image…"), &exports,
                                           [&w, &exports] { exports.exportChartDialog(w.currentChart()); });
    chart->setShortcut(QKeySequence(MainWindow::tr("Ctrl+E")));
    QAction* report = exportMenu->addAction(MainWindow::tr("&Report figure (heatmaps, every seq len)…"), &exports,
                                            [&exports] { exports.exportFigureDialog(ExportActions::Figure::Report); });
    report->setShortcut(QKeySequence(MainWindow::tr("Ctrl+Shift+E")));
    QAction* lines = exportMenu->addAction(MainWindow::tr("&Lines figure (the old script's plot)…"), &exports,
                                           [&exports] { exports.exportFigureDialog(ExportActions::Figure::Lines); });
    QAction* breakdown = exportMenu->addAction(MainWindow::tr("&Breakdown figure (per-op bars and shares)…"), &exports,
                                               [&exports] { exports.exportFigureDialog(ExportActions::Figure::Breakdown); });
    file->addSeparator();
    file->addAction(MainWindow::tr("&Quit"), &w, &QWidget::close)->setShortcut(QKeySequence::Quit);
    actions.needRunView = {save, csv, seed, report, lines, breakdown};

    QMenu* sweep = w.menuBar()->addMenu(MainWindow::tr("&Sweep"));
    actions.run = sweep->addAction(style->standardIcon(QStyle::SP_MediaPlay), MainWindow::tr("&Run"), &w,
                                   &MainWindow::startSweep);
    actions.run->setShortcut(QKeySequence(MainWindow::tr("Ctrl+R")));
    actions.stop = sweep->addAction(style->standardIcon(QStyle::SP_MediaStop), MainWindow::tr("&Stop"), &w,
                                    &MainWindow::stopSweep);
    actions.stop->setShortcut(QKeySequence(MainWindow::tr("Ctrl+.")));

    QMenu* view = w.menuBar()->addMenu(MainWindow::tr("&View"));
    QAction* compare = view->addAction(MainWindow::tr("&Compare runs"), &w, [&w] { w.showCompare(); });
    compare->setShortcut(QKeySequence(MainWindow::tr("Ctrl+K")));
    view->addSeparator();
    // RunView::Page order.
    const QStringList pages{MainWindow::tr("&Heatmaps"), MainWindow::tr("&Lines"), MainWindow::tr("&Breakdown"),
                            MainWindow::tr("&Table"), MainWindow::tr("L&og")};
    for (int i = 0; i < pages.size(); ++i) {
        QAction* a = view->addAction(pages[i], &w, [&w, i] {
            if (RunView* v = w.currentRunView()) v->showPage(RunView::Page(i));
        });
        a->setShortcut(QKeySequence(QStringLiteral("Ctrl+%1").arg(i + 1)));
    }
    view->addSeparator();
    for (QDockWidget* d : w.findChildren<QDockWidget*>()) view->addAction(d->toggleViewAction());

    QMenu* help = w.menuBar()->addMenu(MainWindow::tr("&Help"));
    help->addAction(MainWindow::tr("&About BertBench"), &w, [&w] {
        QMessageBox::about(&w, MainWindow::tr("About BertBench"),
                           MainWindow::tr("<b>BertBench %1</b><p>How BERT inference speed and memory change with the "
                                          "attention implementation, batch size, sequence length and padding.</p>"
                                          "<p>speedup % = (t_baseline / t_candidate − 1) × 100<br>"
                                          "memory saved % = (peak_baseline / peak_candidate − 1) × 100</p>")
                               .arg(QStringLiteral(BERTBENCH_VERSION)));
    });

    QToolBar* bar = w.addToolBar(MainWindow::tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setMovable(false);
    bar->addAction(actions.run);
    bar->addAction(actions.stop);
    bar->addSeparator();
    bar->addAction(open);
    bar->addAction(compare);
    bar->addAction(report);
    return actions;
}

} // namespace bertbench::ui
