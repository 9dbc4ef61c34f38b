// The Data type box: fp8 listed, greyed out with the reason where no backend runs it (this CPU
// registry: the cpu:* backends compute in fp32), selectable where one does (a fake cuda backend).
#include <QComboBox>
#include <QStandardItemModel>
#include <QTest>

#include "UiTestSupport.h"
#include "ui/widgets/DTypeBox.h"

using namespace bertbench;
using namespace bertbench::ui;

class TestDTypeBox : public QObject {
    Q_OBJECT

private slots:
    void fp8IsGreyedWithTheReasonOnCpuOnly() {
        const BackendRegistry registry = test::cpuRegistry();
        QComboBox box;
        fillDTypeBox(&box, registry);
        const int fp8 = box.findData(int(DType::Float8));
        QVERIFY(fp8 >= 0);
        auto* model = qobject_cast<QStandardItemModel*>(box.model());
        QVERIFY(model);
        QVERIFY(!model->item(fp8)->isEnabled());
        const QString tip = box.itemData(fp8, Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(QStringLiteral("8.9")), qPrintable(tip));
        QVERIFY(model->item(box.findData(int(DType::Float32)))->isEnabled());
    }

    void fp8IsSelectableWhereABackendRunsIt() {
        BackendRegistry registry;
        registry.add({"cuda:fake", "cuda", "sdpa", "fake", {DType::Float16, DType::Float8}, [] { return nullptr; }});
        QComboBox box;
        fillDTypeBox(&box, registry);
        auto* model = qobject_cast<QStandardItemModel*>(box.model());
        QVERIFY(model->item(box.findData(int(DType::Float8)))->isEnabled());
        QVERIFY(dtypeUnavailableReason(registry, DType::Float8).isEmpty());
        BackendRegistry old;
        BackendInfo a100{"cuda:fake", "cuda", "sdpa", "fake", {DType::Float16}, [] { return nullptr; }};
        a100.dtypeUnavailable = {{DType::Float8, "fp8 needs 8.9; NVIDIA A100 is 8.0"}};
        old.add(a100);
        QVERIFY(dtypeUnavailableReason(old, DType::Float8).contains(QStringLiteral("A100")));
    }
};

QTEST_MAIN(TestDTypeBox)
#include "test_dtype_box.moc"
