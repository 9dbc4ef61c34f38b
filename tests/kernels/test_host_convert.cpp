// fp32 ↔ fp16/bf16 on the host (weights upload, outputs read back): bit-exact round-to-nearest-
// even, subnormals, infinities and NaN. Needs no GPU.
#include <QtTest>

#include <cmath>
#include <cstring>
#include <limits>

#include "core/util/Errors.h"
#include "core/util/Random.h"
#include "kernels/runtime/HostConvert.h"
#include "kernels/verify/ModelVerify.h"

using namespace bertbench;
using namespace bertbench::cuda;

namespace {
float fromBits(uint32_t bits) {
    float f = 0;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}
} // namespace

class HostConvertTest : public QObject {
    Q_OBJECT
private slots:
    void halfKnownValues() {
        QCOMPARE(floatToHalfBits(0.f), uint16_t(0x0000));
        QCOMPARE(floatToHalfBits(-0.f), uint16_t(0x8000));
        QCOMPARE(floatToHalfBits(1.f), uint16_t(0x3c00));
        QCOMPARE(floatToHalfBits(-2.f), uint16_t(0xc000));
        QCOMPARE(floatToHalfBits(65504.f), uint16_t(0x7bff));
        QCOMPARE(floatToHalfBits(65520.f), uint16_t(0x7c00));   // rounds up to infinity
        QCOMPARE(floatToHalfBits(std::numeric_limits<float>::infinity()), uint16_t(0x7c00));
        QVERIFY((floatToHalfBits(std::nanf("")) & 0x7fff) > 0x7c00);
        QCOMPARE(floatToHalfBits(std::ldexp(1.f, -24)), uint16_t(0x0001));   // smallest subnormal
        QCOMPARE(floatToHalfBits(std::ldexp(1.f, -25)), uint16_t(0x0000));   // tie → even (0)
        QCOMPARE(floatToHalfBits(std::ldexp(1.5f, -25)), uint16_t(0x0001));
        QCOMPARE(floatToHalfBits(std::ldexp(1.f, -14)), uint16_t(0x0400));   // smallest normal
    }

    void halfTiesToEven() {
        // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: rounds to the even 1.
        QCOMPARE(floatToHalfBits(1.f + std::ldexp(1.f, -11)), uint16_t(0x3c00));
        // 1 + 3·2^-11 is halfway between 1 + 2^-10 (odd) and 1 + 2^-9: rounds up.
        QCOMPARE(floatToHalfBits(1.f + 3 * std::ldexp(1.f, -11)), uint16_t(0x3c02));
    }

    void halfRoundTripOfEveryHalf() {
        for (uint32_t h = 0; h < 0x10000; ++h) {
            const float f = halfBitsToFloat(uint16_t(h));
            if (std::isnan(f)) continue;
            QCOMPARE(floatToHalfBits(f), uint16_t(h));
        }
    }

    void halfRoundingIsNearest() {
        Rng rng(5);
        for (int i = 0; i < 100000; ++i) {
            const float f = float(rng.normal() * 100);
            const float r = halfBitsToFloat(floatToHalfBits(f));
            QVERIFY(std::fabs(r - f) <= std::fabs(f) * std::ldexp(1.0, -11) + 1e-12);
        }
    }

    void bf16() {
        QCOMPARE(floatToBf16Bits(1.f), uint16_t(0x3f80));
        QCOMPARE(floatToBf16Bits(fromBits(0x3f808000u)), uint16_t(0x3f80));   // tie → even
        QCOMPARE(floatToBf16Bits(fromBits(0x3f818000u)), uint16_t(0x3f82));   // tie → even (up)
        QCOMPARE(floatToBf16Bits(fromBits(0x3f808001u)), uint16_t(0x3f81));
        QVERIFY(std::isnan(bf16BitsToFloat(floatToBf16Bits(std::nanf("")))));
        QCOMPARE(bf16BitsToFloat(0x4049), 3.140625f);
        for (uint32_t b = 0; b < 0x10000; ++b) {
            const float f = bf16BitsToFloat(uint16_t(b));
            if (std::isnan(f)) continue;
            QCOMPARE(floatToBf16Bits(f), uint16_t(b));
        }
    }

    void bufferConversion() {
        const std::vector<float> in{1.f, -0.5f, 3.25f, 1e-3f};
        for (DType d : {DType::Float32, DType::Float16, DType::BFloat16}) {
            std::vector<uint32_t> raw(in.size());
            std::vector<float> back(in.size());
            convertFromFloat(d, in.data(), in.size(), raw.data());
            convertToFloat(d, raw.data(), in.size(), back.data());
            for (size_t i = 0; i < in.size(); ++i) QVERIFY(std::fabs(back[i] - in[i]) <= std::fabs(in[i]) * 4e-3f);
        }
    }

    void verifyCases() {
        const auto cases = parseVerifyCases("1x512, 3x77,4x512@0.75");
        QCOMPARE(cases.size(), size_t(3));
        QCOMPARE(cases[1].batchSize, 3);
        QCOMPARE(cases[1].seqLen, 77);
        QCOMPARE(cases[2].pad, 0.75);
        QCOMPARE(cases[2].label(), std::string("4x512 pad 0.75"));
        QVERIFY_THROWS_EXCEPTION(InputError, parseVerifyCases("4x"));
        QVERIFY_THROWS_EXCEPTION(InputError, parseVerifyCases("0x5"));
        QVERIFY_THROWS_EXCEPTION(InputError, parseVerifyCases("2x8@1.0"));
        QVERIFY_THROWS_EXCEPTION(InputError, parseVerifyCases("2x8junk"));
        QVERIFY(defaultTolerance(DType::Float32) <= 1e-5);
        QVERIFY(defaultTolerance(DType::Float16) <= 3e-3);
    }
};

QTEST_GUILESS_MAIN(HostConvertTest)
#include "test_host_convert.moc"
