#include "core/profile/OpCategory.h"

#include <algorithm>

namespace bertbench {

namespace {
struct CategoryText {
    OpCategory category;
    const char* name;
    const char* label;
    const char* shortLabel;
};
constexpr CategoryText kCategories[] = {
    {OpCategory::Embeddings, "embeddings", "embeddings + LayerNorm", "embeddings"},
    {OpCategory::QkvGemm, "qkv_gemm", "QKV GEMM", "QKV"},
    {OpCategory::Attention, "attention", "attention", "attention"},
    {OpCategory::AttentionLocal, "attention_local", "sliding-window attention (local layers)", "local attn"},
    {OpCategory::AttnOutLayerNorm, "attn_out_ln", "attention-output GEMM + residual + LayerNorm", "attn out+LN"},
    {OpCategory::FfnUpGelu, "ffn_up_gelu", "FFN-up GEMM + GELU", "FFN up+GELU"},
    {OpCategory::FfnDownLayerNorm, "ffn_down_ln", "FFN-down GEMM + residual + LayerNorm", "FFN down+LN"},
    {OpCategory::Padding, "padding", "un/re-padding (row gather/scatter)", "padding"},
    {OpCategory::Head, "head", "task head", "head"},
};
const CategoryText& textOf(OpCategory c) {
    for (const CategoryText& t : kCategories)
        if (t.category == c) return t;
    return kCategories[0];
}
} // namespace

const std::vector<OpCategory>& allOpCategories() {
    static const std::vector<OpCategory> all = [] {
        std::vector<OpCategory> v;
        for (const CategoryText& t : kCategories) v.push_back(t.category);
        return v;
    }();
    return all;
}

std::string categoryName(OpCategory c) { return textOf(c).name; }
std::string categoryLabel(OpCategory c) { return textOf(c).label; }
std::string categoryShortLabel(OpCategory c) { return textOf(c).shortLabel; }

std::optional<OpCategory> parseOpCategory(const std::string& name) {
    for (const CategoryText& t : kCategories)
        if (name == t.name) return t.category;
    return std::nullopt;
}

const OpPart* OpBreakdown::part(OpCategory c) const {
    const std::string name = categoryName(c);
    for (const OpPart& p : parts)
        if (p.category == name) return &p;
    return nullptr;
}

double OpBreakdown::msOf(OpCategory c) const {
    const OpPart* p = part(c);
    return p != nullptr ? p->ms : 0.0;
}

OpBreakdown emptyBreakdown() {
    OpBreakdown b;
    for (OpCategory c : allOpCategories()) b.parts.push_back({categoryName(c), 0.0, 0});
    return b;
}

OpBreakdown unavailableBreakdown(const std::string& why) {
    OpBreakdown b;
    b.note = "not available: " + why;
    return b;
}

bool addToBreakdown(OpBreakdown& b, const std::string& category, double ms, int calls) {
    if (!parseOpCategory(category)) return false;
    if (b.parts.empty()) b = emptyBreakdown();
    for (OpPart& p : b.parts) {
        if (p.category == category) {
            p.ms += ms;
            p.calls += calls;
            return true;
        }
    }
    return false;
}

void finishBreakdown(OpBreakdown& b, double forwardMs) {
    b.sumMs = 0;
    for (const OpPart& p : b.parts) b.sumMs += p.ms;
    b.forwardMs = forwardMs;
}

OpBreakdown breakdownFromScopes(const std::vector<ScopeRecord>& records, double forwardMs) {
    const int n = int(records.size());
    auto known = [&](int i) { return parseOpCategory(records[size_t(i)].category).has_value(); };
    // The nearest known-category ancestor of each record (-1: none).
    auto knownAncestor = [&](int i) {
        int p = records[size_t(i)].parent;
        while (p >= 0 && p < n && !known(p)) p = records[size_t(p)].parent;
        return p >= 0 && p < n ? p : -1;
    };
    std::vector<double> own(size_t(n), 0.0);
    for (int i = 0; i < n; ++i)
        if (known(i)) own[size_t(i)] = records[size_t(i)].ms;
    // A known record's time already contains its known descendants' time: take it out once.
    for (int i = 0; i < n; ++i) {
        if (!known(i)) continue;
        const int a = knownAncestor(i);
        if (a >= 0) own[size_t(a)] -= records[size_t(i)].ms;
    }
    OpBreakdown b = emptyBreakdown();
    for (int i = 0; i < n; ++i)
        if (known(i)) addToBreakdown(b, records[size_t(i)].category, std::max(0.0, own[size_t(i)]));
    finishBreakdown(b, forwardMs);
    return b;
}

} // namespace bertbench
