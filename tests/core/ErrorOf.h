#pragma once
// Runs `f`, which must throw E; returns its message, or says what happened instead, so a
// failing QVERIFY(contains(...)) shows the cause.
#include <exception>
#include <string>

namespace bertbench::testing {

template <typename E, typename F>
std::string errorOf(F f) {
    try {
        f();
    } catch (const E& e) {
        return e.what();
    } catch (const std::exception& e) {
        return std::string("WRONG EXCEPTION TYPE: ") + e.what();
    }
    return "NO EXCEPTION";
}

} // namespace bertbench::testing
