#include "ui/charts/CategoryColors.h"

#include <QHash>

namespace bertbench::ui {

QColor categoryColor(const QString& category) {
    // Attention stands out (warm); the GEMM-heavy parts share cool tones; padding is the
    // wasted work FA2 removes, so it gets a loud magenta.
    static const QHash<QString, QColor> colors{
        {QStringLiteral("embeddings"), QColor(0x8d, 0xa0, 0xcb)},
        {QStringLiteral("qkv_gemm"), QColor(0x1f, 0x77, 0xb4)},
        {QStringLiteral("attention"), QColor(0xff, 0x7f, 0x0e)},
        {QStringLiteral("attention_local"), QColor(0xff, 0xbb, 0x78)},   // ModernBERT's sliding-window layers
        {QStringLiteral("attn_out_ln"), QColor(0x17, 0xbe, 0xcf)},
        {QStringLiteral("ffn_up_gelu"), QColor(0x2c, 0xa0, 0x2c)},
        {QStringLiteral("ffn_down_ln"), QColor(0x98, 0xdf, 0x8a)},
        {QStringLiteral("padding"), QColor(0xd6, 0x27, 0x8b)},
        {QStringLiteral("head"), QColor(0x94, 0x67, 0xbd)},
        {QStringLiteral("other"), QColor(0xb0, 0xb0, 0xb0)},
    };
    return colors.value(category, QColor(0x60, 0x60, 0x60));
}

QBrush categoryBrush(const QString& category) {
    if (category == QLatin1String("other")) return QBrush(categoryColor(category), Qt::BDiagPattern);
    return QBrush(categoryColor(category));
}

} // namespace bertbench::ui
