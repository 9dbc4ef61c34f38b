// The sweep form: fields set through the widgets become the spec; invalid fields are marked
// with their reason and block Run; presets and spec JSON round-trip.
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTest>

#include "UiTestSupport.h"
#include "core/sweep/SpecJson.h"
#include "ui/widgets/RunSettingsSection.h"
#include "ui/widgets/SpecPresets.h"
#include "ui/widgets/SweepPanel.h"

using namespace bertbench;
using namespace bertbench::ui;

class TestSweepPanel : public QObject {
    Q_OBJECT

    BackendRegistry registry_ = test::cpuRegistry();

    template <typename T>
    static T* field(SweepPanel& p, const char* name) {
        T* w = p.findChild<T*>(QLatin1String(name));
        if (!w) qFatal("no widget %s", name);
        return w;
    }
    static QPushButton* runButton(SweepPanel& p) { return field<QPushButton>(p, "run"); }
    static QString errorText(SweepPanel& p, const char* key) {
        return field<QLabel>(p, (std::string("error_") + key).c_str())->text();
    }
    static bool errorShown(SweepPanel& p, const char* key) {
        return !field<QLabel>(p, (std::string("error_") + key).c_str())->isHidden();
    }
    static void type(QLineEdit* edit, const QString& text) {
        edit->selectAll();
        QTest::keyClicks(edit, text);
    }

private slots:
    void initTestCase() { test::useTestSettings(); }

    void presetsParseAndTheQuickDemoComesFirst() {
        QStringList problems;
        const std::vector<SpecPreset> presets = loadSpecPresets(&problems);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
        QVERIFY(presets.size() >= 3);
        QCOMPARE(presets.front().name, QStringLiteral("Quick demo — CPU, tiny"));
        QStringList names;
        for (const SpecPreset& p : presets) names << p.name;
        QVERIFY(names.contains(QStringLiteral("The old script's grid")));
        QVERIFY(std::any_of(names.begin(), names.end(), [](const QString& n) { return n.startsWith("Padding study"); }));
        // The old script's grid: its exact axes.
        const auto old = std::find_if(presets.begin(), presets.end(), [](const SpecPreset& p) { return p.name == "The old script's grid"; });
        QCOMPARE(old->spec.batchSizes, (std::vector<int>{1, 2, 4, 8, 16, 32, 64, 128}));
        QCOMPARE(old->spec.seqLens, (std::vector<int>{128, 256, 512}));
        QCOMPARE(old->spec.pads, (std::vector<double>{0.0, 0.1, 0.2, 0.5, 0.75}));
        QCOMPARE(old->spec.numBatches, 10);
    }

    void startsValidWithTheQuickDemo() {
        SweepPanel panel(registry_);
        QVERIFY2(panel.isValid(), qPrintable(QStringList(panel.problems().values()).join('\n')));
        QVERIFY(runButton(panel)->isEnabled());
        QCOMPARE(panel.spec().models, std::vector<std::string>{"tiny"});
    }

    void widgetsSetTheSpec() {
        SweepPanel panel(registry_);
        panel.setSpec(test::tinySpec());
        type(field<QLineEdit>(panel, "batchSizes"), "1, 4,16");
        type(field<QLineEdit>(panel, "seqLens"), "64 128");
        type(field<QLineEdit>(panel, "pads"), "0, 0.25, 0.5");
        field<QCheckBox>(panel, "task_classification")->setChecked(true);
        field<QCheckBox>(panel, "candidate_cpu:sdpa")->setChecked(false);
        field<QSpinBox>(panel, "numBatches")->setValue(3);
        field<QSpinBox>(panel, "warmup")->setValue(1);
        type(field<QLineEdit>(panel, "seed"), "42");
        QSignalSpy changed(&panel, &SweepPanel::specChanged);
        QVERIFY(changed.wait(1000));   // validation is coalesced to the next event-loop turn

        const SweepSpec s = panel.spec();
        QCOMPARE(s.batchSizes, (std::vector<int>{1, 4, 16}));
        QCOMPARE(s.seqLens, (std::vector<int>{64, 128}));
        QCOMPARE(s.pads, (std::vector<double>{0.0, 0.25, 0.5}));
        QCOMPARE(s.tasks, (std::vector<Task>{Task::Encoder, Task::Classification}));
        QCOMPARE(s.candidates, (std::vector<std::string>{"cpu:flash_attention_2"}));
        QCOMPARE(s.numBatches, 3);
        QCOMPARE(s.warmup, 1);
        QCOMPARE(s.seed, uint64_t(42));
        QVERIFY(panel.isValid());
        QVERIFY(runButton(panel)->isEnabled());
    }

    void invalidFieldsBlockRunWithTheReasonAtTheField() {
        SweepPanel panel(registry_);
        panel.setSpec(test::tinySpec());
        QSignalSpy validity(&panel, &SweepPanel::validityChanged);
        QSignalSpy runs(&panel, &SweepPanel::runRequested);

        // Text that does not parse: named at its field.
        type(field<QLineEdit>(panel, "batchSizes"), "1, x, 4");
        panel.validateNow();
        QVERIFY(!panel.isValid());
        QVERIFY(!runButton(panel)->isEnabled());
        QVERIFY(errorShown(panel, "batch_sizes"));
        QVERIFY2(errorText(panel, "batch_sizes").contains("x"), qPrintable(errorText(panel, "batch_sizes")));
        QCOMPARE(field<QLineEdit>(panel, "batchSizes")->property("invalid").toBool(), true);
        QCOMPARE(validity.count(), 1);
        QTest::mouseClick(runButton(panel), Qt::LeftButton);
        QCOMPARE(runs.count(), 0);

        // A value core rejects: core's message, at the field.
        type(field<QLineEdit>(panel, "batchSizes"), "1, 0");
        panel.validateNow();
        QVERIFY(!panel.isValid());
        QVERIFY(errorShown(panel, "batch_sizes"));
        QVERIFY2(errorText(panel, "batch_sizes").contains("0"), qPrintable(errorText(panel, "batch_sizes")));

        // Fixed: the mark goes, Run comes back.
        type(field<QLineEdit>(panel, "batchSizes"), "1, 2");
        panel.validateNow();
        QVERIFY(panel.isValid());
        QVERIFY(!errorShown(panel, "batch_sizes"));
        QVERIFY(runButton(panel)->isEnabled());
        QCOMPARE(validity.count(), 2);

        // Each kind of field.
        type(field<QLineEdit>(panel, "pads"), "0, 1.5");
        panel.validateNow();
        QVERIFY(errorShown(panel, "pads"));
        type(field<QLineEdit>(panel, "pads"), "0");
        type(field<QLineEdit>(panel, "seqLens"), "100000");
        panel.validateNow();
        QVERIFY2(errorShown(panel, "seq_lens"), "a length past the model's max positions");
        type(field<QLineEdit>(panel, "seqLens"), "32");
        field<QSpinBox>(panel, "numBatches")->setValue(0);
        panel.validateNow();
        QVERIFY(errorShown(panel, "num_batches"));
        field<QSpinBox>(panel, "numBatches")->setValue(1);
        type(field<QLineEdit>(panel, "seed"), "-3");
        panel.validateNow();
        QVERIFY(errorShown(panel, "seed"));
        type(field<QLineEdit>(panel, "seed"), "3");
        field<QComboBox>(panel, "model")->setCurrentText("no-such-model");
        panel.validateNow();
        QVERIFY(errorShown(panel, "model"));
        field<QComboBox>(panel, "model")->setCurrentText("tiny");
        for (const char* c : {"candidate_cpu:sdpa", "candidate_cpu:flash_attention_2"})
            field<QCheckBox>(panel, c)->setChecked(false);
        panel.validateNow();
        QVERIFY(!panel.isValid());
        QVERIFY(errorShown(panel, "candidates"));
        field<QCheckBox>(panel, "candidate_cpu:sdpa")->setChecked(true);
        panel.validateNow();
        QVERIFY2(panel.isValid(), qPrintable(QStringList(panel.problems().values()).join('\n')));
        QTest::mouseClick(runButton(panel), Qt::LeftButton);
        QCOMPARE(runs.count(), 1);
    }

    void backendsThisBuildLacksAreFlagged() {
        SweepPanel panel(registry_);
        SweepSpec s = test::tinySpec();
        s.candidates = {"cuda:flash_attention_2"};
        panel.setSpec(s);
        QVERIFY(!panel.isValid());
        QVERIFY(errorShown(panel, "candidates"));
        QVERIFY(field<QCheckBox>(panel, "candidate_cuda:flash_attention_2")->text().contains("not in this build"));
    }

    // A registered backend this machine cannot run (torch:* without torch) is greyed with the reason.
    void unavailableBackendsAreGreyedWithTheReason() {
        BackendRegistry registry = test::cpuRegistry();
        BackendInfo torch;
        torch.name = "torch:sdpa";
        torch.device = "cpu";
        torch.attention = "sdpa";
        torch.description = "HF transformers BertModel, attn_implementation=sdpa";
        torch.unavailableReason = "python3 has no torch (No module named 'torch')";
        torch.create = [] { return std::unique_ptr<Backend>(); };
        registry.add(torch);
        SweepPanel panel(registry);
        panel.setSpec(test::tinySpec());
        auto* box = field<QCheckBox>(panel, "candidate_torch:sdpa");
        QVERIFY(!box->isEnabled());
        QVERIFY(box->text().contains("unavailable here"));
        QVERIFY(box->toolTip().contains("No module named 'torch'"));
        QVERIFY(field<QCheckBox>(panel, "candidate_cpu:sdpa")->isEnabled());
        auto* baseline = field<QComboBox>(panel, "baseline");
        const int row = baseline->findData(QStringLiteral("torch:sdpa"));
        QVERIFY(row >= 0);
        auto* model = qobject_cast<QStandardItemModel*>(baseline->model());
        QVERIFY(model && !model->item(row)->isEnabled());
    }

    // The baseline's own data type: "as the candidates" leaves it unset; a type it cannot run is
    // refused at the field with the reason, one it can run goes into the spec.
    void baselineDataTypeIsAFieldOfItsOwn() {
        SweepPanel panel(registry_);
        panel.setSpec(test::tinySpec());
        auto* box = field<QComboBox>(panel, "baseline_dtype");
        QCOMPARE(box->currentData().toInt(), -1);
        QVERIFY(!panel.spec().baselineDType);
        box->setCurrentIndex(box->findData(int(DType::Float16)));
        panel.validateNow();
        QVERIFY(!panel.isValid());
        QVERIFY(errorShown(panel, "baseline_dtype"));
        QVERIFY2(errorText(panel, "baseline_dtype").contains("cpu:eager does not support fp16"),
                 qPrintable(errorText(panel, "baseline_dtype")));
        box->setCurrentIndex(box->findData(int(DType::Float32)));
        panel.validateNow();
        QVERIFY(panel.isValid());
        QVERIFY(panel.spec().baselineDType == DType::Float32);
        SweepSpec s = test::tinySpec();
        s.baselineDType = DType::Float32;
        panel.setSpec(s);
        QCOMPARE(box->currentData().toInt(), int(DType::Float32));
        QCOMPARE(specToJson(panel.spec()), specToJson(s));
    }

    void specRoundTripsThroughJson() {
        SweepPanel panel(registry_);
        SweepSpec s = test::tinySpec();
        s.seqlenStdev = 3.5;
        s.seed = 123456789012345ull;
        panel.setSpec(s);
        const SweepSpec back = specFromJson(specToJson(panel.spec()), "test");
        QCOMPARE(specToJson(back), specToJson(s));
    }

    void pythonInterpreterIsASettingAndGpusShowOnlyWhenSeveral() {
        QSettings().remove("torch/python");
        SweepPanel panel(registry_);
        RunSettingsSection* settings = panel.runSettings();
        auto* python = panel.findChild<QLineEdit*>("pythonInterpreter");
        QVERIFY(python);
        QCOMPARE(python->text(), QStringLiteral("python3"));
        QCOMPARE(settings->options().python, std::string("python3"));
        settings->setPython("/opt/venv/bin/python3");
        QCOMPARE(RunSettingsSection::pythonSetting(), QStringLiteral("/opt/venv/bin/python3"));
        SweepPanel again(registry_);   // a new window reads it back
        QCOMPARE(again.findChild<QLineEdit*>("pythonInterpreter")->text(), QStringLiteral("/opt/venv/bin/python3"));
        QSettings().remove("torch/python");

        auto* gpus = panel.findChild<QListWidget*>("gpus");
        QVERIFY(gpus);
        settings->setGpus({"NVIDIA H200 (0)"});
        QVERIFY(gpus->isHidden());
        QVERIFY(settings->selectedGpus().empty());
        settings->setGpus({"NVIDIA H200 (0)", "NVIDIA H200 (1)", "NVIDIA H200 (2)"});
        QVERIFY(!gpus->isHidden());
        QCOMPARE(settings->selectedGpus(), (std::vector<int>{0, 1, 2}));
        gpus->item(1)->setCheckState(Qt::Unchecked);
        QCOMPARE(settings->options().gpus, (std::vector<int>{0, 2}));
    }
};

QTEST_MAIN(TestSweepPanel)
#include "test_sweep_panel.moc"
