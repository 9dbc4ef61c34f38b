#pragma once
// A small fixed thread pool for the CPU backends: the calling thread works too, tasks are
// handed out through an atomic counter (dynamic scheduling: packed sequences differ in length).
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace bertbench::cpu {

class ThreadPool {
public:
    explicit ThreadPool(int threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int size() const { return int(workers_.size()) + 1; }

    // Calls fn(task, worker) for every task in [0, tasks), worker in [0, size()); returns when
    // all are done. The first exception thrown by a task is rethrown here. A call from inside
    // a task runs inline (no nested parallelism, no deadlock).
    void run(int64_t tasks, const std::function<void(int64_t task, int worker)>& fn);

private:
    void workerLoop(int worker);
    void work(int worker);

    std::vector<std::thread> workers_;
    std::mutex runMutex_;              // one run() at a time
    std::mutex mutex_;
    std::condition_variable wake_, done_;
    uint64_t generation_ = 0;
    int busy_ = 0;
    bool stop_ = false;
    const std::function<void(int64_t, int)>* fn_ = nullptr;
    int64_t tasks_ = 0;
    std::atomic<int64_t> next_{0};
    std::exception_ptr error_;
};

// The pool the CPU backends share, sized by cpuThreads() (rebuilt when that changes).
ThreadPool& cpuPool();

// body(r) for every row r < rows, in chunks of at least 64 rows on cpuPool() (for the cheap
// element-wise parts, the embeddings: a task a row would cost more than the row).
template <typename F>
void forRows(int64_t rows, F&& body) {
    ThreadPool& pool = cpuPool();
    const int64_t chunk = std::max<int64_t>(64, (rows + 4 * pool.size() - 1) / (4 * pool.size()));
    pool.run((rows + chunk - 1) / chunk, [&](int64_t t, int) {
        const int64_t begin = t * chunk, end = std::min(rows, begin + chunk);
        for (int64_t r = begin; r < end; ++r) body(r);
    });
}

} // namespace bertbench::cpu
