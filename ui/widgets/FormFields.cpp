#include "ui/widgets/FormFields.h"

#include <QFormLayout>
#include <QLabel>
#include <QStringList>
#include <QStyle>
#include <QWidget>

namespace bertbench::ui {
namespace {

void setInvalid(QWidget* w, bool invalid) {
    if (!w || w->property("invalid").toBool() == invalid) return;
    w->setProperty("invalid", invalid);
    // The style sheet matches on the property; re-polish so the border follows it.
    w->style()->unpolish(w);
    w->style()->polish(w);
}

} // namespace

QLabel* makeErrorLabel(const QString& objectName) {
    auto* error = new QLabel;
    error->setObjectName(objectName);
    error->setWordWrap(true);
    error->setStyleSheet(QStringLiteral("color: #b3261e;"));
    error->hide();
    return error;
}

QString FormFields::styleSheet() {
    return QStringLiteral("QLineEdit[invalid=\"true\"], QComboBox[invalid=\"true\"], "
                          "QSpinBox[invalid=\"true\"], QDoubleSpinBox[invalid=\"true\"] "
                          "{ border: 1px solid #c62828; border-radius: 2px; padding: 1px; }"
                          "QWidget#candidates[invalid=\"true\"], QWidget#tasks[invalid=\"true\"] "
                          "{ border: 1px solid #c62828; }");
}

void FormFields::add(const QString& label, QWidget* field, const QString& key, const QString& tip) {
    field->setToolTip(tip);
    form_->addRow(label, field);
    QLabel* error = makeErrorLabel(QStringLiteral("error_") + key);
    form_->addRow(QString(), error);
    labels_[key] = error;
    widgets_[key] = field;
}

void FormFields::show(const QMap<QString, QString>& problems) {
    QStringList general;
    for (auto it = problems.begin(); it != problems.end(); ++it)
        if (!labels_.contains(it.key())) general << it.key() + QStringLiteral(": ") + it.value();
    for (auto it = labels_.begin(); it != labels_.end(); ++it) {
        const QString text = problems.value(it.key());
        it.value()->setText(text);
        it.value()->setVisible(!text.isEmpty());
        setInvalid(widgets_.value(it.key()), !text.isEmpty());
    }
    general_->setText(general.join(QLatin1Char('\n')));
    general_->setVisible(!general.isEmpty());
}

} // namespace bertbench::ui
