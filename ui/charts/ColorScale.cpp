#include "ui/charts/ColorScale.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace bertbench::ui {
namespace {

// ColorBrewer RdBu, red (worst) to blue (best).
constexpr std::array<QRgb, 11> kStops{0xff67001f, 0xffb2182b, 0xffd6604d, 0xfff4a582, 0xfffddbc7,
                                      0xfff7f7f7, 0xffd1e5f0, 0xff92c5de, 0xff4393c3, 0xff2166ac,
                                      0xff053061};
// ColorBrewer BrBG, brown (worst) to teal (best): energy's own scale.
constexpr std::array<QRgb, 11> kEnergyStops{0xff543005, 0xff8c510a, 0xffbf812d, 0xffdfc27d, 0xfff6e8c3,
                                            0xfff5f5f5, 0xffc7eae5, 0xff80cdc1, 0xff35978f, 0xff01665e,
                                            0xff003c30};

double niceAbove(double v, const std::vector<double>& steps) {
    for (double s : steps)
        if (v <= s * (1 + 1e-9)) return s;
    double p = steps.back();
    while (p < v) p *= 2;
    return p;
}

} // namespace

namespace {

bool isRatioKind(ValueKind k) { return k == ValueKind::Percent || k == ValueKind::Ratio; }

// The ratio a value stands for: 1 + v/100 for percentages, the value for ratios.
double ratioOf(ValueKind k, double v) { return k == ValueKind::Percent ? 1 + v / 100 : v; }

} // namespace

DivergingScale::DivergingScale(ValueKind kind, double limit, Palette palette)
    : kind_(kind), limit_(limit), palette_(palette) {
    if (isRatioKind(kind_)) limit_ = std::max(limit_, 1.01);
    else limit_ = std::max(limit_, 1e-9);
}

double DivergingScale::position(double value) const {
    if (!std::isfinite(value)) return 0;
    double t = 0;
    if (isRatioKind(kind_)) {
        const double r = ratioOf(kind_, value);
        t = r > 0 ? std::log2(r) / std::log2(limit_) : -1;
        if (kind_ == ValueKind::Ratio) t = -t;   // a lower latency ratio is better
    } else if (kind_ == ValueKind::Agreement) {
        t = (value - 100) / limit_;
    } else {
        t = value / limit_;
    }
    return std::clamp(t, -1.0, bestPosition());
}

double DivergingScale::valueAt(double position) const {
    switch (kind_) {
    case ValueKind::Ratio: return std::pow(2.0, -position * std::log2(limit_));
    case ValueKind::Percent: return (std::pow(2.0, position * std::log2(limit_)) - 1) * 100;
    case ValueKind::Agreement: return 100 + position * limit_;
    case ValueKind::PercentPoints: break;
    }
    return position * limit_;
}

QColor DivergingScale::colorAt(double position, Palette palette) {
    const auto& stops = palette == Palette::BrownTeal ? kEnergyStops : kStops;
    const double x = (std::clamp(position, -1.0, 1.0) + 1) / 2 * (stops.size() - 1);
    const size_t i = std::min(size_t(x), stops.size() - 2);
    const double f = x - double(i);
    const QColor a(stops[i]), b(stops[i + 1]);
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * f),
                            float(a.greenF() + (b.greenF() - a.greenF()) * f),
                            float(a.blueF() + (b.blueF() - a.blueF()) * f));
}

QColor DivergingScale::color(double value) const { return colorAt(position(value), palette_); }

QColor DivergingScale::textColorOn(const QColor& bg) {
    const double luminance = 0.2126 * bg.redF() + 0.7152 * bg.greenF() + 0.0722 * bg.blueF();
    return luminance < 0.45 ? QColor(Qt::white) : QColor(0x1a, 0x1a, 0x1a);
}

namespace {

// |v| rounded to a round number (1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 8 × a power of ten).
double roundNicely(double v) {
    if (v == 0 || !std::isfinite(v)) return v;
    const double mag = std::pow(10.0, std::floor(std::log10(std::fabs(v))));
    double best = 1;
    for (double m : {1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.5, 8.0, 10.0})
        if (std::fabs(std::fabs(v) / mag - m) < std::fabs(std::fabs(v) / mag - best)) best = m;
    return std::copysign(best * mag, v);
}

} // namespace

std::vector<double> DivergingScale::ticks() const {
    // The ends and the neutral value exactly; the two in between at round values near the
    // halfway colours (on a log scale halfway is rarely round: +41 %, −29 % for 2×).
    if (kind_ == ValueKind::Agreement) return {valueAt(-1), roundNear(valueAt(-0.5), -0.5), valueAt(0)};
    std::vector<double> t{valueAt(-1), valueAt(-0.5), valueAt(0), valueAt(0.5), valueAt(1)};
    t[1] = roundNear(t[1], -0.5);
    t[3] = roundNear(t[3], 0.5);
    return t;
}

// A round value near `value`, which sits at `target` on the bar. A nice rounding can carry a tick
// onto another: −91 % onto −100 % (the bar's end, for a limit of 128×: +12,700 %), a ratio of
// 1.05 onto 1 (the neutral value, for a limit of 1.1×); then it gives way to two significant
// digits, or three.
double DivergingScale::roundNear(double value, double target) const {
    constexpr double kMaxShift = 0.15;   // of the bar's half: the tick still reads as "halfway"
    const double nice = roundNicely(value);
    if (std::fabs(position(nice) - target) <= kMaxShift) return nice;
    for (int digits = 2; digits <= 3; ++digits) {
        const double mag = std::pow(10.0, std::floor(std::log10(std::fabs(value))) + 1 - digits);
        const double rounded = std::round(value / mag) * mag;
        if (std::fabs(position(rounded) - target) <= kMaxShift) return rounded;
    }
    return value;
}

QString DivergingScale::tickLabel(double value) const {
    // Within 10 % of 1 a third digit: two would label 1.05 "1×", like the neutral value.
    if (kind_ == ValueKind::Ratio) return QString::number(value, 'g', std::fabs(value - 1) < 0.095 ? 3 : 2) + QChar(0x00D7);
    if (kind_ == ValueKind::Agreement) return QString::number(value, 'g', 4);
    if (std::fabs(value) < 1e-9) return QStringLiteral("0");
    const QString text = QString::number(std::fabs(value), 'f', std::fabs(value) < 9.95 ? 1 : 0);
    return (value < 0 ? QString(QChar(0x2212)) : QStringLiteral("+")) + text;
}

double DivergingScale::niceLimit(ValueKind kind, const std::vector<double>& values) {
    double m = 0;
    for (double v : values) {
        if (!std::isfinite(v)) continue;
        if (isRatioKind(kind)) {
            const double r = ratioOf(kind, v);
            if (r > 0) m = std::max(m, std::fabs(std::log2(r)));
        } else if (kind == ValueKind::Agreement) {
            m = std::max(m, 100 - v);
        } else {
            m = std::max(m, std::fabs(v));
        }
    }
    if (isRatioKind(kind)) return niceAbove(std::pow(2.0, m), {1.1, 1.25, 1.5, 2, 3, 4, 6, 8, 16});
    if (kind == ValueKind::Agreement) return std::min(niceAbove(m, {1, 2, 5, 10, 20, 25, 50, 100}), 100.0);
    return niceAbove(m, {1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000});
}

} // namespace bertbench::ui
