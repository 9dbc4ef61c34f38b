#pragma once
// The window's menus (File, Sweep, View, Help) and tool bar. Every action calls a public
// method of MainWindow or ExportActions; the window keeps the returned actions' enabled state.
#include <QList>

QT_BEGIN_NAMESPACE
class QAction;
QT_END_NAMESPACE

namespace bertbench::ui {

class ExportActions;
class MainWindow;
class RecentFiles;

struct MainWindowActions {
    QAction* run = nullptr;
    QAction* stop = nullptr;
    QList<QAction*> needRunView;   // enabled only while a run tab is current
};

MainWindowActions buildMainMenus(MainWindow& window, ExportActions& exports, RecentFiles& recent);

} // namespace bertbench::ui
