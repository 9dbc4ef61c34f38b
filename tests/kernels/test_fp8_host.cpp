// The fp8 e4m3 host reference (kernels/runtime/Fp8Host.h), the CPU twin of the quantize kernels:
// every code decodes and re-encodes to itself, rounding is to nearest even, values past ±448
// saturate, NaN stays NaN, and it agrees with cuda_fp8.h's own conversion (__NV_SATFINITE) on a
// sweep of floats. Runs without a GPU.
#include <QtTest>

#include <cmath>
#include <cstring>

#include <cuda_fp8.h>

#include "core/util/Random.h"
#include "kernels/runtime/Fp8Host.h"

using namespace bertbench;
using namespace bertbench::cuda;

class Fp8HostTest : public QObject {
    Q_OBJECT

private slots:
    void everyCodeRoundTrips() {
        for (int b = 0; b < 256; ++b) {
            const uint8_t bits = uint8_t(b);
            const float v = e4m3ToFloat(bits);
            if ((bits & 0x7F) == 0x7F) {
                QVERIFY(std::isnan(v));
                continue;
            }
            QCOMPARE(int(floatToE4m3(v)), b);
        }
        QCOMPARE(e4m3ToFloat(0x7E), 448.0f);
        QCOMPARE(e4m3ToFloat(0x01), std::ldexp(1.0f, -9));
    }

    void roundsToNearestEvenAndSaturates() {
        QCOMPARE(int(floatToE4m3(1.0f + 1.0f / 16)), int(floatToE4m3(1.0f)));        // tie → even mantissa (1.0)
        QCOMPARE(int(floatToE4m3(1.0f + 3.0f / 16)), int(floatToE4m3(1.25f)));       // tie → even (1.25)
        QCOMPARE(int(floatToE4m3(1000.0f)), 0x7E);
        QCOMPARE(int(floatToE4m3(-1e30f)), 0xFE);
        QCOMPARE(int(floatToE4m3(std::ldexp(1.0f, -10))), 0x00);                     // half the smallest subnormal → 0 (even)
        QCOMPARE(int(floatToE4m3(std::ldexp(3.0f, -11))), 0x01);                     // 0.75 of it → the smallest subnormal
        QVERIFY((floatToE4m3(std::nanf("")) & 0x7F) == 0x7F);
    }

    void agreesWithCudaFp8() {
        Rng rng(5);
        int checked = 0;
        for (int i = 0; i < 200000; ++i) {
            const double kind = rng.uniform();
            float x = kind < 0.5 ? float(rng.normal() * 50) : kind < 0.8 ? float(rng.normal() * 0.02)
                                                                         : float(rng.normal() * 600);
            const uint8_t want = uint8_t(__nv_cvt_float_to_fp8(x, __NV_SATFINITE, __NV_E4M3));
            const uint8_t got = floatToE4m3(x);
            if (got != want) QFAIL(qPrintable(QStringLiteral("x=%1: got 0x%2, cuda_fp8 0x%3").arg(double(x), 0, 'g', 9)
                                                  .arg(int(got), 2, 16, QChar('0')).arg(int(want), 2, 16, QChar('0'))));
            ++checked;
        }
        // Every midpoint between neighbours too (ties).
        for (int b = 0; b < 0x7E; ++b) {
            const float mid = 0.5f * (e4m3ToFloat(uint8_t(b)) + e4m3ToFloat(uint8_t(b + 1)));
            QCOMPARE(int(floatToE4m3(mid)), int(uint8_t(__nv_cvt_float_to_fp8(mid, __NV_SATFINITE, __NV_E4M3))));
            QCOMPARE(int(floatToE4m3(-mid)), int(uint8_t(__nv_cvt_float_to_fp8(-mid, __NV_SATFINITE, __NV_E4M3))));
        }
        QVERIFY(checked > 0);
    }
};

QTEST_GUILESS_MAIN(Fp8HostTest)
#include "test_fp8_host.moc"
