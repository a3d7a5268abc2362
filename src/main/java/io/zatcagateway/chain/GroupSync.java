package io.zatcagateway.chain;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: many threads ask for "everything I committed is on disk"; one of them runs the flush and every caller
 * whose request came before that flush started is released by it. Nobody returns before a flush that began after its
 * request. With one caller at a time this is exactly one flush per request.
 */
final class GroupSync {
    /** The flush itself (an fsync, or H2's {@code CHECKPOINT SYNC}). */
    interface Flush {
        void run() throws Exception;
    }

    private final Flush flush;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition done = lock.newCondition();
    private long requested;
    private long completed;
    private boolean running;
    private long flushes;

    GroupSync(Flush flush) {
        this.flush = flush;
    }

    /** Returns once a flush that started after this call has finished; throws if that flush failed. */
    void await() throws Exception {
        lock.lock();
        try {
            long ticket = ++requested;
            while (completed < ticket) {
                if (running) {
                    done.await();
                    continue;
                }
                running = true;
                long upTo = requested;
                Exception failure = null;
                lock.unlock();
                try {
                    flush.run();
                } catch (Exception e) {
                    failure = e;
                } finally {
                    lock.lock();
                }
                running = false;
                if (failure == null) {
                    completed = Math.max(completed, upTo);
                    flushes++;
                }
                done.signalAll();
                if (failure != null) {
                    throw failure;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    long flushes() {
        lock.lock();
        try {
            return flushes;
        } finally {
            lock.unlock();
        }
    }
}
