#pragma once
// The "Open recent" list: the last ten run files opened or saved, kept in QSettings
// ("recentFiles"), shown in a menu that this object keeps current.
#include <QObject>
#include <QStringList>

QT_BEGIN_NAMESPACE
class QMenu;
class QWidget;
QT_END_NAMESPACE

namespace bertbench::ui {

class RecentFiles : public QObject {
    Q_OBJECT
public:
    // The menu is made here (a child of `window`) and rebuilt whenever the list changes.
    explicit RecentFiles(QWidget* window);
    QMenu* menu() const { return menu_; }

    QStringList paths() const;
    // Moves `path` to the top (adding it if new), dropping the oldest past the limit.
    void add(const QString& path);
    void clear();

signals:
    void openRequested(const QString& path);

private:
    void rebuildMenu();

    QMenu* menu_;
};

} // namespace bertbench::ui
