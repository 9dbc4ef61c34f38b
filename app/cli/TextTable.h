#pragma once
// An aligned plain-text table: headers, rows of cells, left- or right-aligned columns.
#include <string>
#include <vector>

namespace bertbench::cli {

class TextTable {
public:
    enum class Align { Left, Right };
    struct Column {
        std::string header;
        Align align = Align::Left;
    };

    explicit TextTable(std::vector<Column> columns) : columns_(std::move(columns)) {}
    void addRow(std::vector<std::string> cells);   // missing cells are blank
    // Header, a rule of dashes, the rows; columns separated by two spaces, no trailing blanks.
    std::string str(const std::string& indent = "") const;

    // One row formatted with fixed widths, for printing rows as they arrive (no rule).
    static std::string line(const std::vector<Column>& columns, const std::vector<size_t>& widths,
                            const std::vector<std::string>& cells);

private:
    std::vector<Column> columns_;
    std::vector<std::vector<std::string>> rows_;
};

} // namespace bertbench::cli
