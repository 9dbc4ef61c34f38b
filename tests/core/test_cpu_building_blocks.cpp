// What the CPU backends are built from: the thread pool (every task once, nested runs inline,
// a throwing task reported and the pool still usable), both sgemms against a naive product, and
// the exp / GELU approximations against libm.
#include <QtTest>

#include <atomic>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "core/cpu/CpuMath.h"
#include "core/cpu/CpuOps.h"
#include "core/cpu/ThreadPool.h"

using namespace bertbench;

class TestCpuBuildingBlocks : public QObject {
    Q_OBJECT

private slots:
    void threadPool() {
        cpu::ThreadPool pool(3);
        QCOMPARE(pool.size(), 3);
        std::vector<std::atomic<int>> hits(1000);
        std::atomic<int> maxWorker{0};
        std::atomic<bool> nestedBroken{false};
        pool.run(1000, [&](int64_t t, int worker) {
            hits[size_t(t)]++;
            int seen = maxWorker.load();
            while (worker > seen && !maxWorker.compare_exchange_weak(seen, worker)) {}
            // A nested run executes inline on this thread.
            int inner = 0;
            pool.run(3, [&](int64_t, int) { ++inner; });
            if (inner != 3) nestedBroken = true;   // no QTest macros off the main thread
        });
        QVERIFY(!nestedBroken);
        for (auto& h : hits) QCOMPARE(h.load(), 1);
        QVERIFY(maxWorker.load() < 3);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, pool.run(100, [](int64_t t, int) {
            if (t == 17) throw std::runtime_error("task failed");
        }));
        int after = 0;
        pool.run(1, [&](int64_t, int) { ++after; });   // still usable
        QCOMPARE(after, 1);
    }

    void gemmMatchesNaive() {
        const int M = 37, N = 53, K = 71;
        std::vector<float> A(size_t(M) * K), Bt(size_t(N) * K), Bn(size_t(K) * N), C0(size_t(M) * N);
        uint32_t s = 1;
        auto next = [&] {
            s = s * 1664525u + 1013904223u;
            return float(s >> 8) / float(1 << 24) - 0.5f;
        };
        for (float& x : A) x = next();
        for (float& x : Bt) x = next();
        for (int k = 0; k < K; ++k)
            for (int n = 0; n < N; ++n) Bn[size_t(k) * N + n] = Bt[size_t(n) * K + k];
        for (float& x : C0) x = next();
        std::vector<double> want(size_t(M) * N);
        for (int m = 0; m < M; ++m)
            for (int n = 0; n < N; ++n) {
                double acc = 0;
                for (int k = 0; k < K; ++k) acc += double(A[size_t(m) * K + k]) * Bt[size_t(n) * K + k];
                want[size_t(m) * N + n] = 0.5 * acc + 2.0 * C0[size_t(m) * N + n];
            }
        for (bool builtin : {false, true}) {
            for (bool transB : {true, false}) {
                std::vector<float> C = C0;
                auto f = builtin ? cpu::builtinSgemm : cpu::sgemm;
                f(transB, M, N, K, 0.5f, A.data(), K, transB ? Bt.data() : Bn.data(), transB ? K : N, 2.0f, C.data(), N);
                for (size_t i = 0; i < C.size(); ++i) QVERIFY(std::abs(C[i] - want[i]) < 1e-5);
            }
        }
    }

    void mathApproximations() {
        double worstExp = 0, worstGelu = 0;
        for (double x = -20; x <= 20; x += 0.001) {
            const float xf = float(x);
            worstExp = std::max(worstExp, std::abs(cpu::expApprox(xf) / std::exp(double(xf)) - 1));
            const double gelu = 0.5 * xf * (1 + std::erf(xf / std::sqrt(2.0)));
            worstGelu = std::max(worstGelu, std::abs(cpu::geluErf(xf) - gelu));
        }
        QVERIFY2(worstExp < 1e-6, qPrintable(QString::number(worstExp)));
        QVERIFY2(worstGelu < 1e-6, qPrintable(QString::number(worstGelu)));
        QCOMPARE(cpu::expApprox(-std::numeric_limits<float>::infinity()), 0.0f);
        QCOMPARE(cpu::expApprox(std::numeric_limits<float>::lowest()), 0.0f);
        QCOMPARE(cpu::expApprox(0.0f), 1.0f);
    }
};

QTEST_GUILESS_MAIN(TestCpuBuildingBlocks)
#include "test_cpu_building_blocks.moc"
