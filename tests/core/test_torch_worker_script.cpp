// The real worker, the scripts compiled into core (resources/python/bertbench_torch_*.py): without
// torch it still speaks the protocol, and end to end against tests/tools/mock_torch.
#include <QtTest>

#include <QTemporaryDir>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/batch/Batch.h"
#include "core/cpu/CpuBackends.h"
#include "core/model/HfCheckpointWriter.h"
#include "core/model/ModelConfig.h"
#include "core/sweep/SweepRunner.h"
#include "core/torch/TorchBackend.h"
#include "core/torch/TorchBackends.h"
#include "core/torch/TorchFiles.h"
#include "core/torch/TorchProbe.h"
#include "core/torch/TorchWorkerProcess.h"

#include "core/ErrorOf.h"
#include "core/FakeTorchWorker.h"

using namespace bertbench;
using namespace bertbench::torch;
using namespace bertbench::testing;

class TestTorchWorkerScript : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (!pythonCanRunTheFake()) QSKIP("python3 (3.8 or newer) is not available to run the fake worker");
    }

    // The real worker (the script compiled into core), where no torch is installed: it still speaks
    // the protocol, says why it cannot load, and stays usable until shut down.
    void realWorkerWithoutTorch() {
        if (std::system("python3 -c 'import torch' >/dev/null 2>&1") == 0)
            QSKIP("torch is installed here: test_torch_real covers the real worker");
        QTemporaryDir dir;
        const std::string script = writeWorkerScript(dir.path().toStdString());
        TorchWorkerProcess worker;
        worker.start("python3", {"-u", script});
        const nlohmann::json hello = worker.request({{"cmd", "hello"}}, 60);
        QCOMPARE(hello["protocol"].get<int>(), 1);
        QVERIFY(hello["torch"].is_null());
        VERIFY_CONTAINS(hello["torch_error"].get<std::string>(), "No module named 'torch'");
        VERIFY_CONTAINS(errorOf<WorkerRequestError>([&] {
                            worker.request({{"cmd", "load"}, {"checkpoint", dir.path().toStdString()}}, 60);
                        }),
                        "'load' failed: ModuleNotFoundError: No module named 'torch'");
        VERIFY_CONTAINS(errorOf<WorkerRequestError>([&] { worker.request({{"cmd", "forward"}}, 10); }),
                        "forward before prepare");
        VERIFY_CONTAINS(errorOf<WorkerRequestError>([&] { worker.request({{"cmd", "teleport"}}, 10); }),
                        "unknown command 'teleport'");
        const pid_t pid = worker.pid();
        worker.stop(5);
        QVERIFY(WIFEXITED(worker.lastWaitStatus()) && WEXITSTATUS(worker.lastWaitStatus()) == 0);
        QVERIFY(reaped(pid));
        QVERIFY(embeddedWorkerScript().find("REPLY_MARKER = \"@bertbench-reply \"") != std::string::npos);
    }

    // The real worker end to end, against tests/tools/mock_torch (a stand-in torch + transformers with
    // arithmetic outputs): load, a model per task, the token classifier's own file, the batch files,
    // forwards, outputs back through the array fallback, release, shutdown.
    void realWorkerAgainstMockTorch() {
        const QByteArray oldPath = qgetenv("PYTHONPATH");
        qputenv("PYTHONPATH", QByteArray(BERTBENCH_SOURCE_DIR) + "/tests/tools/mock_torch");
        const TorchProbeResult probe = runTorchProbe("python3", "", 60);
        QCOMPARE(probe.torchVersion, std::string("2.11.0-mock"));
        QCOMPARE(torchUnavailableReason(probe, "sdpa", "cpu"), std::string());

        TorchBackendOptions o;
        o.device = "cpu";
        o.attention = "sdpa";
        const BertWeights w = tinyWeights();
        pid_t pid = -1;
        {
            TorchBackend backend(o);   // the embedded worker script
            backend.loadModel(w, DType::Float32);
            pid = backend.workerPid();
            VERIFY_CONTAINS(backend.deviceName(), "torch 2.11.0-mock");
            const Batch batch = batchOf(2, 8, 0.5);
            const int64_t labels = w.config.numLabels, hidden = w.config.hiddenSize;

            backend.prepare(Task::Encoder, batch);
            QVERIFY(backend.forward() >= 0);
            TaskOutput out = backend.output();
            QCOMPARE(out.shape, (std::vector<int64_t>{2, 8, hidden}));
            for (size_t t = 0; t < batch.inputIds.size(); ++t)
                QCOMPARE(out.values[t * size_t(hidden) + 5], fakeValue(batch.inputIds[t], 5));
            backend.releaseCell();

            backend.prepare(Task::Qa, batch);
            backend.forward();
            out = backend.output();
            QCOMPARE(out.shape, (std::vector<int64_t>{2, 8, 2}));
            QCOMPARE(out.values[2 * 3 + 0], float(batch.inputIds[3] % 13) / 10.0f);   // start, then end
            QCOMPARE(out.values[2 * 3 + 1], float(batch.inputIds[3] % 7) / 10.0f);
            backend.releaseCell();

            // The sequence classifier from model.safetensors, the token classifier from its own file.
            backend.prepare(Task::Classification, batch);
            backend.forward();
            out = backend.output();
            QCOMPARE(out.shape, (std::vector<int64_t>{2, labels}));
            QVERIFY(!out.perPosition);
            int64_t total = 0;
            for (int p = 0; p < batch.lengths[1]; ++p) total += batch.inputIds[size_t(8 + p)];
            QCOMPARE(out.values[size_t(labels + 1)], w.classifierW.data[size_t(hidden)] + float(total % 97) / 100.0f);
            backend.releaseCell();

            backend.prepare(Task::TokenClassification, batch);
            backend.forward();
            out = backend.output();
            QCOMPARE(out.shape, (std::vector<int64_t>{2, 8, labels}));
            QCOMPARE(out.values[size_t(4 * labels + 1)],
                     w.tokenClassifierW.data[size_t(hidden)] + float(batch.inputIds[4] % 7) / 10.0f);
            backend.releaseCell();

            // A head the mock cannot run fails as an error row's message, and the worker stays.
            backend.prepare(Task::Mlm, batch);
            VERIFY_CONTAINS(errorOf<WorkerRequestError>([&] { backend.forward(); }), "no masked-LM head");
            backend.releaseCell();
            QCOMPARE(backend.workerPid(), pid);
        }
        if (oldPath.isEmpty()) qunsetenv("PYTHONPATH");
        else qputenv("PYTHONPATH", oldPath);
        QVERIFY(reaped(pid));
    }

    // The family through the real worker and the mock: the probe reports, per architecture and task,
    // the class transformers has and its attentions; a RoBERTa model written by HfCheckpointWriter
    // loads into RobertaModel / RobertaForSequenceClassification (classifier.out_proj, not classifier).
    void familyAgainstMockTorch() {
        const QByteArray oldPath = qgetenv("PYTHONPATH");
        qputenv("PYTHONPATH", QByteArray(BERTBENCH_SOURCE_DIR) + "/tests/tools/mock_torch");
        const TorchProbeResult probe = runTorchProbe("python3", "", 60);
        QCOMPARE(probe.family.at("roberta").at("classification").className,
                 std::string("RobertaForSequenceClassification"));
        QVERIFY(probe.family.at("roberta").at("classification").present);
        QCOMPARE(torchModelUnavailableReason(probe, "sdpa", "cpu", "roberta", "classification"), std::string());
        VERIFY_CONTAINS(torchModelUnavailableReason(probe, "sdpa", "cpu", "electra", "qa"),
                        "has no qa head for electra (no ElectraForQuestionAnswering)");
        VERIFY_CONTAINS(torchModelUnavailableReason(probe, "sdpa", "cpu", "xlm-roberta", "classification"),
                        "XLMRobertaForSequenceClassification does not support attn_implementation=sdpa");
        QCOMPARE(torchModelUnavailableReason(probe, "eager", "cpu", "xlm-roberta", "classification"), std::string());
        // ModernBERT is asked for by its own classes (the mock has none of them).
        VERIFY_CONTAINS(torchModelUnavailableReason(probe, "eager", "cpu", "modernbert", "encoder"),
                        "has no encoder head for modernbert (no ModernBertModel)");
        VERIFY_CONTAINS(torchModelUnavailableReason(probe, "eager", "cpu", "gpt2", "encoder"),
                        "reports no gpt2 models");
        // The registry carries the verdict for a run's plan check.
        BackendRegistry registry;
        TorchRegistration reg;
        reg.device = "cpu";
        registerTorchBackends(registry, reg);
        ModelConfig electra = presetConfig("tiny");
        electra.modelType = "electra";
        VERIFY_CONTAINS(registry.find("torch:sdpa")->unavailableFor(electra, Task::Qa), "ElectraForQuestionAnswering");
        QCOMPARE(registry.find("torch:sdpa")->unavailableFor(electra, Task::Encoder), std::string());

        ModelConfig c = presetConfig("tiny");
        c.name = "tiny-roberta";
        c.modelType = "roberta";
        c.typeVocabSize = 1;
        c.padTokenId = 1;
        c.positionOffset = 2;
        c.maxPositions = 514;
        const BertWeights w = randomWeights(c, 4);
        TorchBackendOptions o;
        o.device = "cpu";
        o.attention = "eager";
        {
            TorchBackend backend(o);
            backend.loadModel(w, DType::Float32);
            const Batch batch = batchOf(2, 8, 0.5);
            const int64_t hidden = c.hiddenSize;
            backend.prepare(Task::Encoder, batch);
            backend.forward();
            TaskOutput out = backend.output();
            QCOMPARE(out.shape, (std::vector<int64_t>{2, 8, hidden}));
            QCOMPARE(out.values[size_t(hidden) + 3], fakeValue(batch.inputIds[1], 3));
            backend.releaseCell();
            backend.prepare(Task::Classification, batch);
            backend.forward();
            out = backend.output();
            int64_t total = 0;
            for (int p = 0; p < batch.lengths[0]; ++p) total += batch.inputIds[size_t(p)];
            QCOMPARE(out.values[1], w.classifierW.data[size_t(hidden)] + float(total % 97) / 100.0f);
            backend.releaseCell();
            // The next model goes to the same worker (a --models run imports Python's stack once).
            const pid_t pid = backend.workerPid();
            const BertWeights bert = tinyWeights();
            backend.loadModel(bert, DType::Float32);
            QCOMPARE(backend.workerPid(), pid);
            backend.prepare(Task::Classification, batch);
            backend.forward();
            out = backend.output();
            QCOMPARE(out.values[1], bert.classifierW.data[size_t(hidden)] + float(total % 97) / 100.0f);
            backend.releaseCell();
        }
        {
            // A *ForTokenClassification checkpoint holds no other classifier: the written model.safetensors
            // has no classifier.* at all, the token classifier comes from its own file.
            BertWeights token = w;
            token.classifierW = Tensor();
            token.classifierB = Tensor();
            TorchBackend backend(o);
            backend.loadModel(token, DType::Float32);
            const Batch batch = batchOf(2, 8, 0.5);
            const int64_t labels = c.numLabels, hidden = c.hiddenSize;
            backend.prepare(Task::TokenClassification, batch);
            backend.forward();
            const TaskOutput out = backend.output();
            QCOMPARE(out.shape, (std::vector<int64_t>{2, 8, labels}));
            QCOMPARE(out.values[size_t(4 * labels + 1)],
                     w.tokenClassifierW.data[size_t(hidden)] + float(batch.inputIds[4] % 7) / 10.0f);
            backend.releaseCell();
        }
        if (oldPath.isEmpty()) qunsetenv("PYTHONPATH");
        else qputenv("PYTHONPATH", oldPath);
    }
};

QTEST_GUILESS_MAIN(TestTorchWorkerScript)
#include "test_torch_worker_script.moc"
