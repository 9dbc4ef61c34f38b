// The safetensors reader: valid files (F32/F16/BF16), and every malformed header or offset
// refused with FileFormatError naming the file and the tensor.
#include <QtTest>

#include <QTemporaryDir>
#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/model/Safetensors.h"
#include "core/util/Errors.h"

using namespace bertbench;
using nlohmann::json;

namespace {

// Header length (little-endian u64) + header text + data.
std::vector<uint8_t> fileBytes(const std::string& header, const std::vector<uint8_t>& data, uint64_t lengthField) {
    std::vector<uint8_t> out;
    for (int i = 0; i < 8; ++i) out.push_back(uint8_t(lengthField >> (8 * i)));
    out.insert(out.end(), header.begin(), header.end());
    out.insert(out.end(), data.begin(), data.end());
    return out;
}
std::vector<uint8_t> fileBytes(const std::string& header, const std::vector<uint8_t>& data) {
    return fileBytes(header, data, header.size());
}

void appendF32(std::vector<uint8_t>& data, float v) {
    const uint32_t bits = std::bit_cast<uint32_t>(v);
    for (int i = 0; i < 4; ++i) data.push_back(uint8_t(bits >> (8 * i)));
}
void appendU16(std::vector<uint8_t>& data, uint16_t v) {
    data.push_back(uint8_t(v));
    data.push_back(uint8_t(v >> 8));
}

// A valid file: "weight" F32 [2,3], "half" F16 [4], "brain" BF16 [3], "ids" I64 [2], metadata.
std::vector<uint8_t> validFile() {
    std::vector<uint8_t> data;
    for (int i = 0; i < 6; ++i) appendF32(data, float(i) * 0.5f - 1.0f);   // 0..24
    for (uint16_t h : {0x3c00, 0xc000, 0x3800, 0x7bff}) appendU16(data, h); // 24..32
    for (uint16_t b : {0x3f80, 0xc040, 0x4049}) appendU16(data, b);         // 32..38
    for (int i = 0; i < 16; ++i) data.push_back(uint8_t(i == 0 ? 7 : 0));   // 38..54
    json h;
    h["__metadata__"] = {{"format", "pt"}};
    h["weight"] = {{"dtype", "F32"}, {"shape", {2, 3}}, {"data_offsets", {0, 24}}};
    h["half"] = {{"dtype", "F16"}, {"shape", {4}}, {"data_offsets", {24, 32}}};
    h["brain"] = {{"dtype", "BF16"}, {"shape", {3}}, {"data_offsets", {32, 38}}};
    h["ids"] = {{"dtype", "I64"}, {"shape", {2}}, {"data_offsets", {38, 54}}};
    return fileBytes(h.dump(), data);
}

std::string formatErrorOf(std::vector<uint8_t> bytes, const std::string& tensorToRead = "") {
    try {
        SafetensorsFile f = SafetensorsFile::fromBytes(std::move(bytes), "bad.safetensors");
        if (!tensorToRead.empty()) f.tensor(tensorToRead);
    } catch (const FileFormatError& e) {
        return e.what();
    } catch (const std::exception& e) {
        return std::string("WRONG EXCEPTION TYPE: ") + e.what();
    }
    return "NO EXCEPTION";
}

std::vector<uint8_t> oneTensor(const json& entry, size_t dataBytes) {
    json h;
    h["t"] = entry;
    return fileBytes(h.dump(), std::vector<uint8_t>(dataBytes, 0));
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

} // namespace

class TestSafetensors : public QObject {
    Q_OBJECT

private slots:
    void readsValidFile() {
        const SafetensorsFile f = SafetensorsFile::fromBytes(validFile(), "ok.safetensors");
        QCOMPARE(f.entries().size(), size_t(4));   // __metadata__ is not a tensor
        QVERIFY(f.has("weight") && !f.has("__metadata__"));
        const SafetensorsEntry& e = f.entries().at("weight");
        QCOMPARE(e.dtype, std::string("F32"));
        QCOMPARE(e.shape, (std::vector<int64_t>{2, 3}));
        QCOMPARE(e.begin, uint64_t(0));
        QCOMPARE(e.end, uint64_t(24));
        const Tensor w = f.tensor("weight");
        QCOMPARE(w.shape, (std::vector<int64_t>{2, 3}));
        QCOMPARE(w.data, (std::vector<float>{-1.0f, -0.5f, 0.0f, 0.5f, 1.0f, 1.5f}));
        QCOMPARE(f.tensor("half").data, (std::vector<float>{1.0f, -2.0f, 0.5f, 65504.0f}));
        QCOMPARE(f.tensor("brain").data, (std::vector<float>{1.0f, -3.0f, 3.140625f}));
    }

    void opensFromDisk() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("model.safetensors").toStdString();
        const std::vector<uint8_t> bytes = validFile();
        {
            std::ofstream out(path, std::ios::binary);
            out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
        }
        const SafetensorsFile f = SafetensorsFile::open(path);
        QCOMPARE(f.tensor("weight").data.size(), size_t(6));
        try {
            SafetensorsFile::open(path + ".missing");
            QFAIL("missing file opened");
        } catch (const FileFormatError& e) {
            QVERIFY(contains(e.what(), path + ".missing"));
        }
    }

    void halfPrecisionConversion() {
        struct Case {
            uint16_t bits;
            float value;
        };
        const std::vector<Case> f16 = {
            {0x0000, 0.0f}, {0x8000, -0.0f}, {0x3c00, 1.0f}, {0xbc00, -1.0f}, {0x3555, 0.333251953125f},
            {0x7bff, 65504.0f}, {0x0400, 6.103515625e-05f},     // smallest normal
            {0x0001, 5.9604644775390625e-08f},                  // smallest subnormal, 2^-24
            {0x0200, 3.0517578125e-05f},                        // subnormal 2^-15
            {0x83ff, -6.0975551605224609e-05f},                 // largest negative subnormal
            {0x7c00, INFINITY}, {0xfc00, -INFINITY}};
        std::vector<uint8_t> data;
        for (const Case& c : f16) appendU16(data, c.bits);
        appendU16(data, 0x7e00);   // NaN
        json h;
        h["h"] = {{"dtype", "F16"}, {"shape", {f16.size() + 1}}, {"data_offsets", {0, data.size()}}};
        const Tensor t = SafetensorsFile::fromBytes(fileBytes(h.dump(), data), "f16").tensor("h");
        for (size_t i = 0; i < f16.size(); ++i) {
            QCOMPARE(std::bit_cast<uint32_t>(t.data[i]), std::bit_cast<uint32_t>(f16[i].value));
        }
        QVERIFY(std::isnan(t.data.back()));

        std::vector<uint8_t> bf;
        for (uint16_t b : {0x0000, 0x3f80, 0xbf80, 0x4049, 0x7f80, 0x0001}) appendU16(bf, b);
        json hb;
        hb["b"] = {{"dtype", "BF16"}, {"shape", {2, 3}}, {"data_offsets", {0, bf.size()}}};
        const Tensor b = SafetensorsFile::fromBytes(fileBytes(hb.dump(), bf), "bf16").tensor("b");
        QCOMPARE(b.shape, (std::vector<int64_t>{2, 3}));
        QCOMPARE(b.data[1], 1.0f);
        QCOMPARE(b.data[2], -1.0f);
        QCOMPARE(b.data[3], 3.140625f);
        QCOMPARE(b.data[4], INFINITY);
        QCOMPARE(std::bit_cast<uint32_t>(b.data[5]), uint32_t(0x00010000));
    }

    void unsupportedDtype() {
        const SafetensorsFile f = SafetensorsFile::fromBytes(validFile(), "ok.safetensors");
        try {
            f.tensor("ids");
            QFAIL("I64 converted");
        } catch (const FileFormatError& e) {
            QVERIFY2(contains(e.what(), "ids") && contains(e.what(), "I64") && contains(e.what(), "ok.safetensors"),
                     e.what());
        }
        QVERIFY_THROWS_EXCEPTION(FileFormatError, f.tensor("absent"));
        const std::string msg = formatErrorOf(oneTensor({{"dtype", "F9"}, {"shape", {1}}, {"data_offsets", {0, 4}}}, 4));
        QVERIFY2(contains(msg, "unknown dtype 'F9'") && contains(msg, "'t'"), msg.c_str());
    }

    void malformedFiles_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expect");
        auto qb = [](const std::vector<uint8_t>& v) { return QByteArray(reinterpret_cast<const char*>(v.data()), qsizetype(v.size())); };
        const std::vector<uint8_t> valid = validFile();

        QTest::newRow("empty") << QByteArray() << "too short";
        QTest::newRow("7 bytes") << qb(std::vector<uint8_t>(valid.begin(), valid.begin() + 7)) << "too short";
        QTest::newRow("truncated header") << qb(std::vector<uint8_t>(valid.begin(), valid.begin() + 40)) << "runs past the end";
        QTest::newRow("truncated data") << qb(std::vector<uint8_t>(valid.begin(), valid.end() - 3)) << "out of range";
        QTest::newRow("oversized header length") << qb(fileBytes("{}", {}, uint64_t(1) << 40)) << "over the limit";
        QTest::newRow("max header length") << qb(fileBytes("{}", {}, ~uint64_t(0))) << "header length";
        QTest::newRow("header longer than file") << qb(fileBytes("{}", {}, 1000)) << "runs past the end";
        QTest::newRow("garbage json") << qb(fileBytes("{\"t\": [1, 2", std::vector<uint8_t>(8, 0))) << "not valid JSON";
        QTest::newRow("binary garbage") << qb(fileBytes("\x01\x02\x03", {})) << "not valid JSON";
        QTest::newRow("array header") << qb(fileBytes("[1,2]", {})) << "not a JSON object";
        QTest::newRow("entry not object") << qb(fileBytes(R"({"t": 5})", {})) << "entry is not an object";
        QTest::newRow("no dtype") << qb(oneTensor({{"shape", {1}}, {"data_offsets", {0, 4}}}, 4)) << "dtype";
        QTest::newRow("no shape") << qb(oneTensor({{"dtype", "F32"}, {"data_offsets", {0, 4}}}, 4)) << "shape";
        QTest::newRow("no offsets") << qb(oneTensor({{"dtype", "F32"}, {"shape", {1}}}, 4)) << "data_offsets";
        QTest::newRow("one offset") << qb(oneTensor({{"dtype", "F32"}, {"shape", {1}}, {"data_offsets", {0}}}, 4)) << "two offsets";
        QTest::newRow("end past data") << qb(oneTensor({{"dtype", "F32"}, {"shape", {2}}, {"data_offsets", {0, 8}}}, 4)) << "out of range";
        QTest::newRow("begin after end") << qb(oneTensor({{"dtype", "F32"}, {"shape", {0}}, {"data_offsets", {4, 0}}}, 4)) << "out of range";
        QTest::newRow("negative offset") << qb(oneTensor({{"dtype", "F32"}, {"shape", {1}}, {"data_offsets", {-4, 0}}}, 4)) << "non-negative";
        QTest::newRow("huge offset") << qb(oneTensor({{"dtype", "F32"}, {"shape", {1}}, {"data_offsets", {uint64_t(1) << 63, (uint64_t(1) << 63) + 4}}}, 4)) << "out of range";
        QTest::newRow("wrong byte count") << qb(oneTensor({{"dtype", "F32"}, {"shape", {3}}, {"data_offsets", {0, 8}}}, 8)) << "do not hold shape [3]";
        QTest::newRow("f16 byte count") << qb(oneTensor({{"dtype", "F16"}, {"shape", {2, 2}}, {"data_offsets", {0, 16}}}, 16)) << "do not hold shape [2,2]";
        QTest::newRow("negative dim") << qb(oneTensor({{"dtype", "F32"}, {"shape", {-1}}, {"data_offsets", {0, 4}}}, 4)) << "non-negative integer";
        QTest::newRow("float dim") << qb(oneTensor({{"dtype", "F32"}, {"shape", {1.5}}, {"data_offsets", {0, 4}}}, 4)) << "non-negative integer";
        QTest::newRow("overflowing shape") << qb(oneTensor({{"dtype", "F32"}, {"shape", {uint64_t(1) << 32, uint64_t(1) << 32, 0}}, {"data_offsets", {0, 0}}}, 0)) << "too many elements";
        QTest::newRow("numel wraps") << qb(oneTensor({{"dtype", "F32"}, {"shape", {uint64_t(1) << 31, uint64_t(1) << 31}}, {"data_offsets", {0, 0}}}, 0)) << "too many elements";
    }

    void malformedFiles() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expect);
        const std::string msg = formatErrorOf(std::vector<uint8_t>(bytes.begin(), bytes.end()));
        QVERIFY2(contains(msg, expect.toStdString()), msg.c_str());
        QVERIFY2(contains(msg, "bad.safetensors"), msg.c_str());
    }

    void errorsNameTheTensor() {
        const std::string msg =
            formatErrorOf(oneTensor({{"dtype", "F32"}, {"shape", {3}}, {"data_offsets", {0, 8}}}, 8));
        QVERIFY2(contains(msg, "tensor 't'"), msg.c_str());
    }

    void emptyTensor() {
        const SafetensorsFile f = SafetensorsFile::fromBytes(
            oneTensor({{"dtype", "F32"}, {"shape", {0, 5}}, {"data_offsets", {0, 0}}}, 0), "empty");
        const Tensor t = f.tensor("t");
        QCOMPARE(t.shape, (std::vector<int64_t>{0, 5}));
        QVERIFY(t.empty());
    }
};

QTEST_GUILESS_MAIN(TestSafetensors)
#include "test_safetensors.moc"
