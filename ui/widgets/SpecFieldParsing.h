#pragma once
// Reading the Sweep panel's list fields ("1, 2 4;8") and mapping core's problem fields
// ("batch_sizes[2]") to the form field that shows them.
#include <QString>
#include <QStringList>
#include <optional>
#include <string>
#include <vector>

namespace bertbench::ui {

// Items separated by commas, semicolons or white space.
QStringList splitList(const QString& text);
// nullopt with `problem` naming the bad item ("“x” (item 2) is not a whole number"), or an
// example when the field is empty.
std::optional<std::vector<int>> parseInts(const QString& text, QString* problem);
std::optional<std::vector<double>> parseDoubles(const QString& text, QString* problem);

template <typename T>
QString joinList(const std::vector<T>& values) {
    QStringList parts;
    for (const T& v : values) parts << QString::number(v, 'g', 6);
    return parts.join(QStringLiteral(", "));
}

// "batch_sizes[2]" → "batch_sizes", "model.path" → "model"
QString fieldKey(const std::string& field);

} // namespace bertbench::ui
