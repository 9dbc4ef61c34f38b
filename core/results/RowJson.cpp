#include "core/results/RowJson.h"

#include "core/results/KernelOptionsJson.h"
#include "core/results/RunJsonValues.h"
#include "core/util/Errors.h"

namespace bertbench {

std::string rowToJsonLine(const ResultRow& row) {
    return jsonio::resultRowValue(row).dump(-1, ' ', false, jsonio::Json::error_handler_t::replace);
}

ResultRow rowFromJsonLine(const std::string& line, const std::string& source) {
    try {
        return jsonio::resultRowFromValue(jsonio::Json::parse(line), "row");
    } catch (const jsonio::FieldError& e) {
        throw FileFormatError(source + ": " + e.field + ": " + e.message);
    } catch (const jsonio::Json::exception& e) {
        throw FileFormatError(source + ": not a JSON row: " + e.what());
    }
}

std::string kernelOptionsToJsonLine(const std::map<std::string, std::vector<KernelOption>>& options) {
    return jsonio::kernelOptionsValue(options).dump(-1, ' ', false, jsonio::Json::error_handler_t::replace);
}

std::map<std::string, std::vector<KernelOption>> kernelOptionsFromJsonLine(const std::string& line,
                                                                          const std::string& source) {
    try {
        return jsonio::kernelOptionsFromValue(jsonio::Json::parse(line), "kernel_options");
    } catch (const jsonio::FieldError& e) {
        throw FileFormatError(source + ": " + e.field + ": " + e.message);
    } catch (const jsonio::Json::exception& e) {
        throw FileFormatError(source + ": not a JSON object of kernel options: " + e.what());
    }
}

} // namespace bertbench
