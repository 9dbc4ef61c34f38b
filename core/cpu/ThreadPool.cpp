#include "core/cpu/ThreadPool.h"

#include <atomic>
#include <memory>

#include "core/cpu/CpuBackends.h"
#include "core/cpu/CpuOps.h"

namespace bertbench::cpu {

namespace {
thread_local bool t_inPool = false;
}

ThreadPool::ThreadPool(int threads) {
    for (int w = 1; w < std::max(1, threads); ++w) workers_.emplace_back([this, w] { workerLoop(w); });
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    for (std::thread& t : workers_) t.join();
}

void ThreadPool::work(int worker) {
    t_inPool = true;
    for (int64_t task; (task = next_.fetch_add(1)) < tasks_;) {
        try {
            (*fn_)(task, worker);
        } catch (...) {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!error_) error_ = std::current_exception();
            next_.store(tasks_);   // stop handing out tasks
        }
    }
    t_inPool = false;
}

void ThreadPool::workerLoop(int worker) {
    uint64_t seen = 0;
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
            if (stop_) return;
            seen = generation_;
        }
        work(worker);
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (--busy_ == 0) done_.notify_one();
        }
    }
}

void ThreadPool::run(int64_t tasks, const std::function<void(int64_t, int)>& fn) {
    if (tasks <= 0) return;
    if (t_inPool || workers_.empty() || tasks == 1) {
        for (int64_t t = 0; t < tasks; ++t) fn(t, 0);
        return;
    }
    std::lock_guard<std::mutex> runLock(runMutex_);
    {
        std::lock_guard<std::mutex> lock(mutex_);
        fn_ = &fn;
        tasks_ = tasks;
        next_.store(0);
        error_ = nullptr;
        busy_ = int(workers_.size());
        ++generation_;
    }
    wake_.notify_all();
    work(0);
    std::exception_ptr error;
    {
        std::unique_lock<std::mutex> lock(mutex_);
        done_.wait(lock, [&] { return busy_ == 0; });
        error = error_;
        fn_ = nullptr;
    }
    if (error) std::rethrow_exception(error);
}

ThreadPool& cpuPool() {
    static std::mutex mutex;
    static std::unique_ptr<ThreadPool> pool;
    std::lock_guard<std::mutex> lock(mutex);
    const int want = cpuThreads();
    if (!pool || pool->size() != want) {
        configureBlasThreads();   // the pool splits GEMMs itself: OpenBLAS stays single-threaded
        pool.reset();
        pool = std::make_unique<ThreadPool>(want);
    }
    return *pool;
}

} // namespace bertbench::cpu
