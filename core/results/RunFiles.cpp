// Format sniffing, reading any run file, and the atomic write every writer goes through.
#include "core/results/RunFiles.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <system_error>

#include "core/results/Csv.h"
#include "core/util/Errors.h"

namespace bertbench {

namespace {

std::string errnoText(int err) { return std::error_code(err, std::generic_category()).message(); }

bool isSeedHeader(const std::vector<std::string>& fields) {
    std::vector<std::string> expected;
    std::string_view rest = kSeedCsvHeader;
    while (true) {
        const auto comma = rest.find(',');
        expected.emplace_back(csv::trim(rest.substr(0, comma)));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    if (fields.size() != expected.size()) return false;
    for (size_t i = 0; i < fields.size(); ++i)
        if (csv::trim(fields[i]) != expected[i]) return false;
    return true;
}

} // namespace

RunFileFormat detectFormat(const std::string& text) {
    std::string_view s = text;
    if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
        s.remove_prefix(1);
    if (s.empty()) throw FileFormatError("the file is empty");
    if (s.front() == '{') return RunFileFormat::NativeJson;
    if (s.front() == '[') throw FileFormatError("a JSON array, not a BertBench run (expected a JSON object)");

    std::string_view firstLine = s.substr(0, s.find('\n'));
    if (!firstLine.empty() && firstLine.back() == '\r') firstLine.remove_suffix(1);
    std::vector<std::string> fields;
    try {
        const auto records = csv::parse(firstLine, "");
        if (!records.empty()) fields = records.front().fields;
    } catch (const FileFormatError&) {
        // not a CSV header either; reported below
    }
    if (isSeedHeader(fields)) return RunFileFormat::SeedCsv;
    bool hasTask = false, hasBaseline = false, hasCandidate = false;
    for (const std::string& f : fields) {
        const std::string_view name = csv::trim(f);
        hasTask |= name == "task";
        hasBaseline |= name == "baseline";
        hasCandidate |= name == "candidate";
    }
    if (hasTask && hasBaseline && hasCandidate) return RunFileFormat::NativeCsv;
    std::string shown(firstLine.substr(0, 80));
    if (firstLine.size() > 80) shown += "...";
    throw FileFormatError("not a BertBench run (JSON), native CSV or seed CSV; the first line is \"" + shown + "\"");
}

Run readRunFile(const std::string& path) {
    const std::string text = readTextFile(path);
    RunFileFormat format;
    try {
        format = detectFormat(text);
    } catch (const FileFormatError& e) {
        throw FileFormatError(path + ": " + e.what());
    }
    switch (format) {
    case RunFileFormat::NativeJson: return runFromJson(text, path);
    case RunFileFormat::NativeCsv: return runFromNativeCsv(text, path);
    case RunFileFormat::SeedCsv: return runFromSeedCsv(text, path);
    }
    throw FileFormatError(path + ": unknown format");
}

void writeFileAtomic(const std::string& path, const std::string& contents) {
    namespace fs = std::filesystem;
    if (path.empty()) throw InputError("cannot write a file with an empty path");
    const fs::path target(path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    const std::string name = target.filename().string();
    if (name.empty() || name == "." || name == "..")
        throw InputError("cannot write " + path + ": not a file name");
    auto fail = [&](const std::string& what, int err) {
        return InputError("cannot write " + path + ": " + what + errnoText(err));
    };

    // A fresh temp file in the same folder, so that the rename cannot cross file systems.
    static std::atomic<unsigned> counter{0};
    std::string temp;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
        temp = (dir / ("." + name + ".tmp-" + std::to_string(::getpid()) + "-" +
                       std::to_string(counter.fetch_add(1))))
                   .string();
        fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST) throw fail("", errno);
    }
    if (fd < 0) throw fail("cannot create a temporary file: ", EEXIST);

    auto abandon = [&](const std::string& what, int err) {
        if (fd >= 0) ::close(fd);
        ::unlink(temp.c_str());
        return fail(what, err);
    };
    // Keep the permissions of a file being replaced.
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) (void)::fchmod(fd, st.st_mode & 07777);

    const char* p = contents.data();
    size_t left = contents.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw abandon("", errno);
        }
        p += n;
        left -= static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0) throw abandon("", errno);
    const int closed = ::close(fd);
    fd = -1;
    if (closed != 0) throw abandon("", errno);
    if (::rename(temp.c_str(), path.c_str()) != 0) throw abandon("", errno);
    // Make the rename itself durable (best effort).
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)::fsync(dfd);
        ::close(dfd);
    }
}

std::string readTextFile(const std::string& path, size_t maxBytes) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw InputError("cannot read " + path + ": " + errnoText(errno));
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw InputError("cannot read " + path + ": " + errnoText(errno));
    if (S_ISDIR(st.st_mode)) throw InputError("cannot read " + path + ": it is a folder, not a file");
    auto tooBig = [&](const std::string& size) {
        return InputError("cannot read " + path + ": the file is " + size + " bytes, more than the limit of " +
                          std::to_string(maxBytes));
    };
    if (S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) > maxBytes)
        throw tooBig(std::to_string(st.st_size));
    std::string out;
    if (S_ISREG(st.st_mode)) out.reserve(static_cast<size_t>(st.st_size));
    char buf[1 << 16];
    while (true) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw InputError("cannot read " + path + ": " + errnoText(errno));
        }
        if (n == 0) break;
        if (out.size() + static_cast<size_t>(n) > maxBytes) throw tooBig("over " + std::to_string(maxBytes));
        out.append(buf, static_cast<size_t>(n));
    }
    return out;
}

} // namespace bertbench
