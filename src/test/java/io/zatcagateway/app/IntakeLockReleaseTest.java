package io.zatcagateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbox's read locks (rows of the shared database) are released gateway.intake.lock-release-delay after their file
 * left the inbox, by the lock repository, several at a time (SharedIdempotentRepositoryTest: 1,500 at once); before,
 * Camel's scheduler for the endpoint refused the 1,001st waiting release, which an inbox taking about 1,000 files a
 * second reaches, and each refused lock stayed in the database until another instance took it over.
 */
class IntakeLockReleaseTest {
    @TempDir
    Path dir;

    @Test
    void theReadLocksOfArchivedFilesAreHeldForTheDelayThenReleased() throws Exception {
        Map<String, String> settings = Map.of("gateway.intake.lock-release-delay", "4000");
        try (TestGateway gw = new TestGateway(dir, settings)) {
            dropThree(gw, "LOCK");
            assertEquals(3, gw.readLocks(), "read locks still held, their release 4 s away");
            TestGateway.await("the three files' read locks released", 15_000, () -> {
                try {
                    return gw.readLocks() == 0;
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
