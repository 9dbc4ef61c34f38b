#include "ui/widgets/RecentFiles.h"

#include <QAction>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace bertbench::ui {
namespace {

constexpr int kMaxRecent = 10;
QString key() { return QStringLiteral("recentFiles"); }

} // namespace

RecentFiles::RecentFiles(QWidget* window) : QObject(window), menu_(new QMenu(tr("Open &recent"), window)) {
    rebuildMenu();
}

QStringList RecentFiles::paths() const { return QSettings().value(key()).toStringList(); }

void RecentFiles::add(const QString& path) {
    QStringList recent = paths();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent) recent.removeLast();
    QSettings().setValue(key(), recent);
    rebuildMenu();
}

void RecentFiles::clear() {
    QSettings().remove(key());
    rebuildMenu();
}

void RecentFiles::rebuildMenu() {
    menu_->clear();
    const QStringList recent = paths();
    for (const QString& path : recent) {
        QAction* a = menu_->addAction(QFileInfo(path).fileName(), this, [this, path] { emit openRequested(path); });
        a->setToolTip(path);
        a->setStatusTip(path);
    }
    if (recent.isEmpty()) {
        menu_->addAction(tr("(none yet)"))->setEnabled(false);
        return;
    }
    menu_->addSeparator();
    menu_->addAction(tr("Clear list"), this, &RecentFiles::clear);
}

} // namespace bertbench::ui
