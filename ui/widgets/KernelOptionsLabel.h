#pragma once
// The run header's kernel options: one line per backend ("cpu:eager  threads=2; blas=…"), each
// elided to the width available, with every option in full in the tooltip. Hidden when the run
// recorded none (older files, CSVs, a sweep still running).
#include <QLabel>
#include <QStringList>
#include <map>
#include <string>
#include <vector>

#include "core/backend/KernelOption.h"

namespace bertbench::ui {

class KernelOptionsLabel : public QLabel {
    Q_OBJECT
public:
    explicit KernelOptionsLabel(QWidget* parent = nullptr);

    void setOptions(const std::map<std::string, std::vector<KernelOption>>& options);
    // The lines before eliding (tests).
    const QStringList& fullLines() const { return lines_; }

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void showElided();

    std::map<std::string, std::vector<KernelOption>> options_;
    QStringList lines_;
};

} // namespace bertbench::ui
