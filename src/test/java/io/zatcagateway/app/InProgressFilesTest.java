package io.zatcagateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files in progress of the inbox, SFTP and replay consumers (InProgressFiles): a name is held while its file is in
 * flight and forgotten when it is done, however many different names pass.
 */
class InProgressFilesTest {
    @TempDir
    Path dir;

    @Test
    void aFileInFlightIsNotTakenTwiceAndIsForgottenWhenDone() {
        IdempotentRepository files = InProgressFiles.create(InProgressFiles.DEFAULT_MAX);
        assertTrue(files.add("/inbox/sap/a.xml"));
        assertFalse(files.add("/inbox/sap/a.xml"), "a file in flight is not taken again");
        assertTrue(files.contains("/inbox/sap/a.xml"));
        assertTrue(files.remove("/inbox/sap/a.xml"));
        assertTrue(files.add("/inbox/sap/a.xml"), "a file that is done may come again under the same name");
    }

    /**
     * A quarter of a million different file names, each taken and finished: Camel 4.18's default repository keeps
     * every name and, past 100,000, rebuilds its queue of 100,000+ names for each new file (tried in its place, this
     * test timed out). The time limit is far above the loop's own time (well under a second); it guards against that
     * collapse, it does not measure speed.
     */
    @Test
    void manyDifferentFileNamesLeaveNothingBehind() {
        MemoryIdempotentRepository files = (MemoryIdempotentRepository) InProgressFiles.create(InProgressFiles.DEFAULT_MAX);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 250_000; i++) {
                String name = "/data/inbox/sap/INVOIC02-" + i + ".xml";
                assertTrue(files.add(name));
                assertTrue(files.remove(name));
            }
        });
        assertEquals(0, files.getCacheSize(), "every finished file forgotten");
    }

    @Test
    void beyondItsBoundTheOldestNamesGo() {
        MemoryIdempotentRepository files = (MemoryIdempotentRepository) InProgressFiles.create(3);
        for (String name : new String[] {"a", "b", "c", "d"}) {
            assertTrue(files.add(name));
        }
        assertEquals(3, files.getCacheSize());
        assertFalse(files.contains("a"), "the oldest went");
        assertTrue(files.contains("d"));
        assertThrows(IllegalArgumentException.class, () -> InProgressFiles.create(0));
    }

    /** The real routes use it: the inbox's files, once archived, are no longer held by its consumer. */
    @Test
    void theInboxConsumerHoldsItsFilesOnlyWhileTheyAreInFlight() throws Exception {
        String ubl = Files.readString(Path.of("examples/ubl/UBL-standard-invoice.xml"));
        try (TestGateway gw = new TestGateway(dir, Map.of())) {
            GenericFileEndpoint<?> inbox = (GenericFileEndpoint<?>) gw.context().getRoute("intake-folder").getEndpoint();
            assertSame(gw.context().getRegistry().lookupByName("inboxInProgress"), inbox.getInProgressRepository());
            for (String route : new String[] {"intake-sftp", "replay-folder"}) {
                GenericFileEndpoint<?> other = (GenericFileEndpoint<?>) gw.context().getRoute(route).getEndpoint();
                assertTrue(other.getInProgressRepository() instanceof MemoryIdempotentRepository m
                        && m.getCache() instanceof java.util.LinkedHashMap && other.getInProgressRepository() != inbox.getInProgressRepository(),
                        route + " has its own InProgressFiles");
            }
            Path inboxDir = Files.createDirectories(dir.resolve("inbox/ubl"));
            for (int i = 1; i <= 5; i++) {
                Files.writeString(inboxDir.resolve("FLIGHT-" + i + ".xml"), ubl.replace("UBL-2026-0001", "FLIGHT-" + i), StandardCharsets.UTF_8);
            }
            assertEquals(5, gw.drain("zatca.egs.demo", 30_000).size());
            TestGateway.await("all 5 files archived", 15_000, () -> {
                try {
                    return gw.files("archive").size() == 5;
                } catch (Exception e) {
                    return false;
                }
            });
            MemoryIdempotentRepository held = (MemoryIdempotentRepository) inbox.getInProgressRepository();
            TestGateway.await("no file held once all are archived", 5_000, () -> held.getCacheSize() == 0);
        }
    }
}
