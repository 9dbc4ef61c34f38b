#include "ui/widgets/SpecFieldParsing.h"

#include <QRegularExpression>

namespace bertbench::ui {
namespace {

// `parse(item, &ok)` converts one item.
template <typename T, typename Parse>
std::optional<std::vector<T>> parseList(const QString& text, QString* problem, Parse parse, const QString& kind,
                                        const QString& example) {
    std::vector<T> out;
    const QStringList items = splitList(text);
    for (int i = 0; i < items.size(); ++i) {
        bool ok = false;
        const T v = parse(items[i], &ok);
        if (!ok) {
            *problem = QStringLiteral("“%1” (item %2) is not %3").arg(items[i]).arg(i + 1).arg(kind);
            return std::nullopt;
        }
        out.push_back(v);
    }
    if (out.empty()) {
        *problem = QStringLiteral("enter at least one value, e.g. ") + example;
        return std::nullopt;
    }
    return out;
}

} // namespace

QStringList splitList(const QString& text) {
    static const QRegularExpression sep(QStringLiteral("[,;\\s]+"));
    return text.split(sep, Qt::SkipEmptyParts);
}

std::optional<std::vector<int>> parseInts(const QString& text, QString* problem) {
    return parseList<int>(text, problem, [](const QString& s, bool* ok) { return s.toInt(ok); },
                          QStringLiteral("a whole number"), QStringLiteral("1, 2, 4, 8"));
}

std::optional<std::vector<double>> parseDoubles(const QString& text, QString* problem) {
    return parseList<double>(text, problem, [](const QString& s, bool* ok) { return s.toDouble(ok); },
                             QStringLiteral("a number"), QStringLiteral("0, 0.1, 0.5"));
}

QString fieldKey(const std::string& field) {
    const QString f = QString::fromStdString(field);
    static const QRegularExpression cut(QStringLiteral("[\\[.]"));
    const qsizetype at = f.indexOf(cut);
    return at < 0 ? f : f.left(at);
}

} // namespace bertbench::ui
