package io.zatcagateway.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.zatcagateway.core.DocumentType;
import io.zatcagateway.core.InvoiceSigner;
import io.zatcagateway.core.ubl.SampleDocuments;
import io.zatcagateway.testsupport.LocalPostgres;
import io.zatcagateway.testsupport.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chain store as two gateway instances share it on PostgreSQL: two stores (two connection pools) writing one EGS
 * at once never fork it, and a writer that stalls while holding the chain head is fenced off by the server, so it can
 * never commit what it signed once the other instance has moved on. Skipped, saying why, where PostgreSQL is missing.
 */
class ChainStorePostgresTest {
    static LocalPostgres pg;
    static final SampleDocuments SAMPLES = new SampleDocuments(TestPki.SELLER_VAT, "Test Seller LLC");
    static final InvoiceSigner SIGNER = new InvoiceSigner(TestPki.identity());

    @BeforeAll
    static void start() throws Exception {
        pg = LocalPostgres.start(Files.createTempDirectory("zgw-pg-chain"));
        if (pg == null) {
            System.out.println("ChainStorePostgresTest SKIPPED: " + LocalPostgres.whyNot);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    private static HikariDataSource pool(String name) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(pg.jdbcUrl());
        ds.setUsername("postgres");
        ds.setMaximumPoolSize(4);
        ds.setPoolName(name);
        return ds;
    }

    private static ChainStore.Signer document(String number) {
        byte[] ubl = SAMPLES.document(DocumentType.INVOICE, true, number, null).getBytes(StandardCharsets.UTF_8);
        return (icv, pih) -> SIGNER.sign(ubl, icv, pih, Instant.now());
    }

    @Test
    void twoInstancesWritingOneEgsAtOnceNeverForkIt() throws Exception {
        Assumptions.assumeTrue(pg != null, () -> "skipped: " + LocalPostgres.whyNot);
        try (HikariDataSource a = pool("instance-a"); HikariDataSource b = pool("instance-b")) {
            List<ChainStore> stores = List.of(new ChainStore(a), new ChainStore(b));
            ExecutorService threads = Executors.newFixedThreadPool(6);
            List<Future<ChainStore.Stored>> signed = new ArrayList<>();
            for (int i = 0; i < 240; i++) {
                ChainStore store = stores.get(i % 2);
                String number = "RACE-" + i;
                signed.add(threads.submit(() -> store.sign("race", "300000000000003:" + number, document(number))));
            }
            Set<Long> icvs = new HashSet<>();
            for (Future<ChainStore.Stored> f : signed) {
                assertTrue(icvs.add(f.get(60, TimeUnit.SECONDS).icv()), "an ICV handed out twice");
            }
            threads.shutdown();
            assertEquals(240, icvs.size());
            ChainVerifier.Report r = ChainVerifier.verify(stores.get(1), "race");
            assertNull(r.firstBroken(), r.firstBroken());
            assertEquals(240, r.documents());
            assertEquals(240, r.lastIcv());
        }
    }

    @Test
    void aWriterThatStallsHoldingTheHeadIsFencedOff() throws Exception {
        Assumptions.assumeTrue(pg != null, () -> "skipped: " + LocalPostgres.whyNot);
        try (HikariDataSource a = pool("paused"); HikariDataSource b = pool("survivor")) {
            ChainStore paused = new ChainStore(a, Duration.ofSeconds(2));
            ChainStore survivor = new ChainStore(b, Duration.ofSeconds(20));
            survivor.sign("fence", "300000000000003:F-1", document("F-1"));

            // instance A takes the head and stalls inside the transaction (a GC pause, a frozen VM)
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch wake = new CountDownLatch(1);
            ChainStore.Signer f2 = document("F-2");
            ExecutorService t = Executors.newFixedThreadPool(2);
            Future<ChainStore.Stored> stalled = t.submit(() -> paused.sign("fence", "300000000000003:F-2", (icv, pih) -> {
                holding.countDown();
                wake.await();
                return f2.sign(icv, pih);
            }));
            assertTrue(holding.await(10, TimeUnit.SECONDS));
            // instance B waits for the head instead of writing beside it...
            Future<ChainStore.Stored> next = t.submit(() -> survivor.sign("fence", "300000000000003:F-3", document("F-3")));
            Thread.sleep(700);
            assertFalse(next.isDone(), "a second writer went ahead while the first held the chain head");
            // ...until the server ends the stalled session (2 s idle in its transaction); then B continues from the last
            // committed head
            ChainStore.Stored f3 = next.get(20, TimeUnit.SECONDS);
            assertEquals(2, f3.icv());
            // A wakes up: what it signed cannot be committed any more
            wake.countDown();
            Exception refused = assertThrows(java.util.concurrent.ExecutionException.class, () -> stalled.get(20, TimeUnit.SECONDS));
            assertTrue(refused.getCause() instanceof java.sql.SQLException, refused.toString());
            t.shutdown();

            assertTrue(survivor.find("300000000000003:F-2").isEmpty(), "the fenced writer's document was stored");
            // the document A held is signed afresh by whoever takes it next, after F-3
            ChainStore.Stored f2again = survivor.sign("fence", "300000000000003:F-2", document("F-2"));
            assertEquals(3, f2again.icv());
            assertEquals(f3.invoiceHash(), f2again.pih());
            ChainVerifier.Report r = ChainVerifier.verify(survivor, "fence");
            assertNull(r.firstBroken(), r.firstBroken());
            assertEquals(3, r.documents());
        }
    }

    @Test
    void historyLinesAccumulateAndTheFinalStateIsStored() throws Exception {
        Assumptions.assumeTrue(pg != null, () -> "skipped: " + LocalPostgres.whyNot);
        try (HikariDataSource ds = pool("history")) {
            ChainStore store = new ChainStore(ds);
            String key = "300000000000003:PG-HIST-1";
            store.sign("pg-hist", key, document("PG-HIST-1"));
            store.attempt(key, ChainStore.State.RETRYING, "ZATCA unavailable: 503");
            store.finish(key, ChainStore.State.REPORTED, 202, "{\"reportingStatus\":\"REPORTED\"}", "ZATCA answered 202: reported");
            ChainStore.Stored d = store.find(key).orElseThrow();
            String[] lines = d.history().split("\n");
            assertEquals(3, lines.length, d.history());
            assertTrue(lines[1].endsWith(" ZATCA unavailable: 503") && lines[2].endsWith(" ZATCA answered 202: reported"), d.history());
            assertEquals(ChainStore.State.REPORTED, d.state());
            assertEquals(202, d.zatcaStatus());
            assertThrows(java.sql.SQLException.class, () -> store.attempt("300000000000003:PG-NONE", ChainStore.State.RETRYING, "x"));
            // the status queries' index is on (state, egs); the earlier one on (egs, state) is gone
            Set<String> indexes = new HashSet<>();
            try (java.sql.Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement();
                    java.sql.ResultSet r = st.executeQuery("SELECT indexdef FROM pg_indexes WHERE tablename = 'chain_document'")) {
                while (r.next()) {
                    indexes.add(r.getString(1).replaceAll(".* INDEX (\\S+) ON .*\\((.*)\\)", "$1 ($2)"));
                }
            }
            assertTrue(indexes.contains("chain_document_open (state, egs)") && indexes.stream().noneMatch(i -> i.startsWith("chain_document_state")),
                    indexes.toString());
            assertEquals(1, store.status().get("pg-hist").lastIcv());
        }
    }
}
