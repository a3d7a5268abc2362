package io.zatcagateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.util.concurrent.SizedScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbox's read locks (rows of the shared database) are released gateway.intake.lock-release-delay (a second) after
 * their file left the inbox, on a scheduler that takes every release however many wait: Camel's own scheduler for the
 * endpoint refused the 1,001st waiting release, which an inbox taking about 1,000 files a second reaches, and each
 * refused lock stayed in the database until another instance took it over.
 */
class IntakeLockReleaseTest {
    @TempDir
    Path dir;

    @Test
    void everyReadLockIsReleasedOnASchedulerWithoutAWaitingLimit() throws Exception {
        try (TestGateway gw = new TestGateway(dir, Map.of())) {
            SizedScheduledExecutorService release = gw.context().getRegistry().lookupByNameAndType("intakeLockRelease", SizedScheduledExecutorService.class);
            // more releases waiting at once than Camel's default profile allows (1,000): none is refused
            List<ScheduledFuture<?>> waiting = new ArrayList<>();
            try {
                for (int i = 0; i < 1_500; i++) {
                    waiting.add(release.schedule(() -> { }, 1, TimeUnit.HOURS));
                }
            } finally {
                waiting.forEach(f -> f.cancel(false));
            }
            assertEquals(1_500, waiting.size());
            long ran = release.getCompletedTaskCount();
            dropThree(gw, "LOCK");
            // released by the route on this scheduler, not on one Camel made for the endpoint
            TestGateway.await("the three files' read locks released", 15_000, () -> {
                try {
                    return gw.readLocks() == 0 && release.getCompletedTaskCount() - ran == 3;
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    @Test
    void releasesStillWaitingWhenTheGatewayStopsAreMadeBeforeItStops() throws Exception {
        Map<String, String> settings = Map.of("gateway.intake.lock-release-delay", "4000");
        try (TestGateway gw = new TestGateway(dir, settings)) {
            dropThree(gw, "STOP");
            assertEquals(3, gw.readLocks(), "read locks still held, their release 4 s away");
        }
        try (TestGateway gw = new TestGateway(dir, Map.of())) {
            assertEquals(0, gw.readLocks(), "read locks left in the database by the stop");
        }
    }

    /** Three UBL files into the inbox; returns once their documents are queued and the files archived. */
    private void dropThree(TestGateway gw, String prefix) throws Exception {
        String ubl = Files.readString(Path.of("examples/ubl/UBL-standard-invoice.xml"));
        Path in = Files.createDirectories(dir.resolve("inbox/ubl"));
        for (int i = 1; i <= 3; i++) {
            Files.writeString(in.resolve(prefix + "-" + i + ".xml"), ubl.replace("UBL-2026-0001", prefix + "-" + i), StandardCharsets.UTF_8);
        }
        assertEquals(3, gw.drain("zatca.egs.demo", 30_000).size(), "documents queued");
        TestGateway.await("the three files archived", 15_000, () -> {
            try {
                return gw.files("archive").size() == 3;
            } catch (Exception e) {
                return false;
            }
        });
    }
}
