package io.zatcagateway.app;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

/**
 * The intake threads of the inbox folder (the {@code threads} step of route intake-folder): {@code threads} threads and
 * a backlog of {@code backlog} files waiting for one. When every thread is busy and the backlog is full, the poller
 * waits for room in the backlog ({@link WaitForRoom}).
 *
 * <p>Why it waits rather than running the file itself (Camel's caller-runs): a file run by the poller ends in a
 * durable send to the broker, which waits for the journal's disk sync. For all that time no file is handed to the
 * threads; they finish the backlog and stand idle. Thread dumps of the intake benchmark showed this: the poller parked
 * in the broker's blocking send while up to 14 of 16 threads waited for work.
 *
 * <p>The pool comes from Camel's executor service manager: its threads are named like Camel's ("... - intake"), it is
 * a managed thread pool (JMX, Hawtio: {@code IntakeThreads(0x...)}), and the context shuts it down when it stops.
 */
public final class IntakeThreads {
    private IntakeThreads() {
    }

    /** The pool, registered with the context's executor service manager under {@code name}. */
    public static ExecutorService create(CamelContext context, String name, int threads, int backlog) {
        if (threads < 1 || backlog < 1) {
            throw new IllegalArgumentException("gateway.intake.threads and gateway.intake.backlog must be 1 or more (were "
                    + threads + " and " + backlog + ")");
        }
        ThreadPoolProfile profile = new ThreadPoolProfile(name);
        profile.setPoolSize(threads);
        profile.setMaxPoolSize(threads);
        profile.setMaxQueueSize(backlog);
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns); // replaced by WaitForRoom below
        // the source names the pool's MBean: IntakeThreads(0x...)
        ExecutorService pool = context.getExecutorServiceManager().newThreadPool(new IntakeThreads(), name, profile);
        if (!(pool instanceof ThreadPoolExecutor tpe)) {
            throw new IllegalStateException("Camel made the intake pool as " + pool.getClass().getName() + ", not a ThreadPoolExecutor");
        }
        tpe.setRejectedExecutionHandler(new WaitForRoom());
        return pool;
    }

    /**
     * A file that finds every thread busy and the backlog full waits in the poller until the backlog has room. Once the
     * pool is shut down (the gateway stops) it is refused: the route's error handling leaves the file in the inbox, and
     * it is read again at the next start.
     */
    static final class WaitForRoom implements RejectedExecutionHandler {
        @Override
        public void rejectedExecution(Runnable task, ThreadPoolExecutor pool) {
            try {
                while (!pool.isShutdown()) {
                    if (pool.getQueue().offer(task, 100, TimeUnit.MILLISECONDS)) {
                        // shut down while it was being queued: take it back, unless a thread has already taken it
                        if (pool.isShutdown() && pool.remove(task)) {
                            break;
                        }
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new RejectedExecutionException("the intake threads are stopping; the file stays in the inbox for the next start");
        }
    }
}
