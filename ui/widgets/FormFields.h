#pragma once
// A form whose fields show their own problems: each field gets an error line under it (hidden
// while fine) and a red border while wrong. Problems are keyed like the spec's JSON fields
// ("batch_sizes"); those without a field of their own go to one general label.
#include <QMap>
#include <QString>

QT_BEGIN_NAMESPACE
class QFormLayout;
class QLabel;
class QWidget;
QT_END_NAMESPACE

namespace bertbench::ui {

class FormFields {
public:
    FormFields(QFormLayout* form, QLabel* general) : form_(form), general_(general) {}

    // Adds `field` under `label`; `key` names it in problems (and the error label "error_<key>").
    void add(const QString& label, QWidget* field, const QString& key, const QString& tip);
    // The widget that turns red for `key`, when it is not the one added (a row's inner editor).
    void setMarkedWidget(const QString& key, QWidget* widget) { widgets_[key] = widget; }
    bool has(const QString& key) const { return labels_.contains(key); }
    void show(const QMap<QString, QString>& problems);

    // The style sheet that draws the red border of `invalid` widgets.
    static QString styleSheet();

private:
    QFormLayout* form_;
    QLabel* general_;
    QMap<QString, QLabel*> labels_;
    QMap<QString, QWidget*> widgets_;
};

// The red style of an error label.
QLabel* makeErrorLabel(const QString& objectName);

} // namespace bertbench::ui
