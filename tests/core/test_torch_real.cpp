// HuggingFace transformers itself, on the CPU: where `python3 -c "import torch, transformers"`
// works, torch:eager and torch:sdpa run the tiny model from the temporary checkpoint BertBench
// writes, and every task's output is checked against cpu:eager on the same batch. Elsewhere the
// suite skips with that message (the fake-worker suite covers the protocol there).
#include <QtTest>

#include <cstdlib>

#include "core/batch/Batch.h"
#include "core/cpu/CpuBackends.h"
#include "core/model/ModelConfig.h"
#include "core/sweep/SweepRunner.h"
#include "core/torch/TorchBackend.h"

using namespace bertbench;
using namespace bertbench::torch;

class TestTorchReal : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (std::system("python3 -c 'import torch, transformers' >/dev/null 2>&1") != 0)
            QSKIP("python3 -c \"import torch, transformers\" fails here: the real HuggingFace test is skipped");
    }

    void matchesCpuEager_data() {
        QTest::addColumn<QString>("attention");
        QTest::addColumn<int>("task");
        for (const char* attention : {"eager", "sdpa"})
            for (Task t : allTasks())
                QTest::newRow((std::string(attention) + "/" + toString(t)).c_str()) << attention << int(t);
    }

    void matchesCpuEager() {
        QFETCH(QString, attention);
        QFETCH(int, task);
        const BertWeights weights = randomWeights(presetConfig("tiny"), 7);
        BackendRegistry registry;
        registerCpuBackends(registry);
        std::unique_ptr<Backend> reference = registry.find("cpu:eager")->create();
        reference->loadModel(weights, DType::Float32);

        TorchBackendOptions o;
        o.python = "python3";
        o.attention = attention.toStdString();
        o.device = "cpu";
        o.cpuThreads = 2;
        TorchBackend hf(o);
        hf.loadModel(weights, DType::Float32);

        BatchSpec spec;
        spec.batchSize = 3;
        spec.maxSeqLen = 32;
        spec.padFraction = 0.4;
        spec.seqlenStdev = 4;
        spec.seed = 11;
        const Batch batch = makeBatch(spec);
        const Task t = Task(task);
        reference->prepare(t, batch);
        reference->forward();
        const TaskOutput want = reference->output();
        hf.prepare(t, batch);
        QVERIFY(hf.forward() > 0);
        const TaskOutput got = hf.output();
        QCOMPARE(got.shape, want.shape);
        const OutputError err = compareOutputs(got, want, batch);
        QVERIFY2(err.relL2 < 1e-4, qPrintable(QString("rel L2 %1, max abs %2").arg(err.relL2).arg(err.maxAbs)));
        hf.releaseCell();
    }
};

QTEST_GUILESS_MAIN(TestTorchReal)
#include "test_torch_real.moc"
