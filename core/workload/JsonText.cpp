#include "core/workload/JsonText.h"

#include "core/util/Errors.h"

namespace bertbench {

nlohmann::json parseJsonText(const std::string& text, const std::string& where) {
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw FileFormatError(where + "not valid JSON (" + e.what() + ")");
    }
}

} // namespace bertbench
