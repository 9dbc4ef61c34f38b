#include "core/results/RowJson.h"

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

} // namespace bertbench
