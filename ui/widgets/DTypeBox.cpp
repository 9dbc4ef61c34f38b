#include "ui/widgets/DTypeBox.h"

#include <QStandardItemModel>
#include <algorithm>

#include "core/backend/DTypeSupport.h"

namespace bertbench::ui {

QString dtypeUnavailableReason(const BackendRegistry& registry, DType dtype) {
    std::string why;
    for (const BackendInfo& info : registry.all()) {
        if (!info.unavailableReason.empty()) continue;
        const std::string refusal = dtypeRefusal(info, dtype);
        if (refusal.empty()) return {};
        // A GPU backend's reason says the most (the GPU and its compute capability).
        if (why.empty() || info.device == "cuda") why = refusal;
    }
    if (why.empty()) why = "no backend runs " + toString(dtype) + " here";
    return QString::fromStdString(why);
}

void fillDTypeBox(QComboBox* box, const BackendRegistry& registry) {
    for (DType d : {DType::Float32, DType::Float16, DType::BFloat16, DType::Float8})
        box->addItem(QString::fromStdString(toString(d)), int(d));
    const int fp8 = box->findData(int(DType::Float8));
    const QString why = dtypeUnavailableReason(registry, DType::Float8);
    if (why.isEmpty()) {
        box->setItemData(fp8, QStringLiteral("e4m3 matrix products, fp16 elsewhere (cuda:* on compute capability 8.9+)"),
                         Qt::ToolTipRole);
        return;
    }
    if (auto* model = qobject_cast<QStandardItemModel*>(box->model()))
        if (QStandardItem* item = model->item(fp8)) item->setEnabled(false);
    box->setItemData(fp8, QStringLiteral("fp8 unavailable: ") + why, Qt::ToolTipRole);
}

} // namespace bertbench::ui
