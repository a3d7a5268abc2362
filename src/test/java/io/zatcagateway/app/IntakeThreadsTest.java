package io.zatcagateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** The intake-folder route's threads: beyond the backlog the submitting thread (the poller) waits; it never runs a file. */
class IntakeThreadsTest {

    @Test
    void aFullPoolMakesTheSubmitterWaitAndNeverRunsTheTaskInIt() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.start();
            ExecutorService pool = IntakeThreads.create(camel, "intake", 2, 1);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch busy = new CountDownLatch(2);
            List<String> ranIn = new CopyOnWriteArrayList<>();
            Runnable blocking = () -> {
                ranIn.add(Thread.currentThread().getName());
                busy.countDown();
                await(release);
            };
            pool.submit(blocking);
            pool.submit(blocking);
            assertTrue(busy.await(10, TimeUnit.SECONDS), "both threads busy");
            pool.submit(() -> ranIn.add(Thread.currentThread().getName())); // the backlog of 1
            CountDownLatch fourthDone = new CountDownLatch(1);
            Thread poller = new Thread(() -> pool.submit(() -> {
                ranIn.add(Thread.currentThread().getName());
                fourthDone.countDown();
            }), "poller");
            poller.start();
            poller.join(500);
            assertTrue(poller.isAlive(), "the submitter waits while both threads are busy and the backlog is full");
            assertEquals(2, ranIn.size(), "nothing ran but the two blocking tasks: " + ranIn);

            release.countDown();
            poller.join(10_000);
            assertFalse(poller.isAlive(), "the submitter went on once the backlog had room");
            assertTrue(fourthDone.await(10, TimeUnit.SECONDS));
            assertEquals(4, ranIn.size());
            assertTrue(ranIn.stream().allMatch(n -> n.endsWith(" - intake")), "every task ran in an intake thread: " + ranIn);
            camel.stop();
            assertTrue(pool.isShutdown(), "the context's executor service manager shuts the pool down when the context stops");
        }
    }

    @Test
    void aSubmitterWaitingWhenThePoolShutsDownIsRefused() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.start();
            ExecutorService pool = IntakeThreads.create(camel, "intake", 1, 1);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch busy = new CountDownLatch(1);
            pool.submit(() -> {
                busy.countDown();
                await(release);
            });
            assertTrue(busy.await(10, TimeUnit.SECONDS));
            pool.submit(() -> { }); // the backlog of 1
            CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> pool.submit(() -> { }));
            Thread.sleep(300);
            assertFalse(waiting.isDone(), "the third task waits for room");
            camel.getExecutorServiceManager().shutdownNow(pool);
            ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
            assertInstanceOf(RejectedExecutionException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("stays in the inbox"), e.getCause().getMessage());
            release.countDown();
        }
    }

    @Test
    void sizesBelowOneAreRefusedWithTheSettingsNamed() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IntakeThreads.create(camel, "intake", 16, 0));
            assertTrue(e.getMessage().contains("gateway.intake.backlog"), e.getMessage());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
