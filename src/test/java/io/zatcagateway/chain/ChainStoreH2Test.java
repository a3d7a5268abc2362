package io.zatcagateway.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.zatcagateway.core.DocumentType;
import io.zatcagateway.core.InvoiceSigner;
import io.zatcagateway.core.ubl.SampleDocuments;
import io.zatcagateway.testsupport.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chain store on the embedded H2 database. H2's background writer is also what compacts the database file;
 * {@code WRITE_DELAY=0} stops it, and the file then grew by about 150 KB per document and was never reclaimed while
 * the gateway ran (4.1 GB after 28,000 documents, 168 MB of it live). Durability does not need it: every chain commit
 * is followed by CHECKPOINT SYNC.
 */
class ChainStoreH2Test {
    static final SampleDocuments SAMPLES = new SampleDocuments(TestPki.SELLER_VAT, "Test Seller LLC");
    static final InvoiceSigner SIGNER = new InvoiceSigner(TestPki.identity());

    @TempDir
    Path dir;

    private HikariDataSource pool(String settings) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl("jdbc:h2:file:" + dir.resolve("h2/gateway").toAbsolutePath() + settings);
        ds.setUsername("sa");
        ds.setMaximumPoolSize(4);
        return ds;
    }

    static int writeDelay(HikariDataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            r.next();
            return Integer.parseInt(r.getString(1).trim());
        }
    }

    @Test
    void aWriteDelayOfZeroIsRefusedWithTheReason() {
        try (HikariDataSource ds = pool(";WRITE_DELAY=0;DB_CLOSE_DELAY=-1")) {
            SQLException e = assertThrows(SQLException.class, () -> new ChainStore(ds));
            assertTrue(e.getMessage().contains("WRITE_DELAY=0") && e.getMessage().contains("gateway.database.url")
                    && e.getMessage().contains("compacts"), e.getMessage());
        }
    }

    @Test
    void theShippedWriteDelaySignsAndFinishes() throws Exception {
        try (HikariDataSource ds = pool(";WRITE_DELAY=" + ChainStore.H2_WRITE_DELAY_MS + ";DB_CLOSE_DELAY=-1")) {
            ChainStore store = new ChainStore(ds);
            assertEquals(ChainStore.H2_WRITE_DELAY_MS, writeDelay(ds));
            long flushes = store.flushes();
            for (int i = 1; i <= 3; i++) {
                String number = "H2-" + i;
                byte[] ubl = SAMPLES.document(DocumentType.INVOICE, true, number, null).getBytes(StandardCharsets.UTF_8);
                ChainStore.Stored d = store.sign("h2", "300000000000003:" + number, (icv, pih) -> SIGNER.sign(ubl, icv, pih, Instant.now()));
                assertEquals(i, d.icv());
                store.finish(d.documentKey(), ChainStore.State.CLEARED, 200, "{}", "ZATCA answered 200: cleared");
            }
            assertTrue(store.flushes() - flushes >= 6, "each signing and each final state is forced to disk (CHECKPOINT SYNC)");
            assertEquals(3, store.count(ChainStore.State.CLEARED));
        }
    }

    @Test
    void historyLinesAccumulateInOrderAndAnUnknownKeyIsRefused() throws Exception {
        try (HikariDataSource ds = pool(";WRITE_DELAY=" + ChainStore.H2_WRITE_DELAY_MS + ";DB_CLOSE_DELAY=-1")) {
            ChainStore store = new ChainStore(ds);
            byte[] ubl = SAMPLES.document(DocumentType.INVOICE, true, "HIST-1", null).getBytes(StandardCharsets.UTF_8);
            String key = "300000000000003:HIST-1";
            store.sign("hist", key, (icv, pih) -> SIGNER.sign(ubl, icv, pih, Instant.now()));
            store.attempt(key, ChainStore.State.RETRYING, "ZATCA unavailable: 503\nretry");
            // a history of several hundred characters (in a database of the earlier schema, a CLOB, that goes to H2's
            // LOB store: aDatabaseOfTheEarlierSchemaIsTakenOver)
            for (int i = 0; i < 5; i++) {
                store.attempt(key, ChainStore.State.RETRYING, "attempt " + i + " " + "x".repeat(80));
            }
            store.finish(key, ChainStore.State.CLEARED, 200, "{\"clearanceStatus\":\"CLEARED\"}", "ZATCA answered 200: cleared");
            ChainStore.Stored d = store.find(key).orElseThrow();
            String[] lines = d.history().split("\n");
            assertEquals(8, lines.length, d.history());
            assertTrue(lines[0].endsWith(" signed with ICV 1"), lines[0]);
            assertTrue(lines[1].endsWith(" ZATCA unavailable: 503 retry"), "a line's own line break becomes a space: " + lines[1]);
            assertTrue(lines[6].contains(" attempt 4 "), lines[6]);
            assertTrue(lines[7].endsWith(" ZATCA answered 200: cleared"), lines[7]);
            assertEquals(ChainStore.State.CLEARED, d.state());
            assertEquals(200, d.zatcaStatus());
            assertEquals("{\"clearanceStatus\":\"CLEARED\"}", d.response());
            SQLException e = assertThrows(SQLException.class, () -> store.finish("300000000000003:NONE", ChainStore.State.CLEARED, 200, "{}", "x"));
            assertTrue(e.getMessage().contains("300000000000003:NONE"), e.getMessage());
        }
    }

    /**
     * On H2 the head is read without FOR UPDATE (H2 would parse that statement again for every document). Writers that
     * race on one EGS anyway (the gateway never lets them: one consumer per EGS) must still never fork the chain: the
     * loser of the compare-and-set or of the primary key gets ChainConflict and takes the document again.
     */
    @Test
    void racingWritersOfOneEgsNeverForkTheChain() throws Exception {
        try (HikariDataSource ds = pool(";WRITE_DELAY=" + ChainStore.H2_WRITE_DELAY_MS + ";DB_CLOSE_DELAY=-1")) {
            ChainStore store = new ChainStore(ds);
            int writers = 4;
            int each = 10;
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
            java.util.concurrent.atomic.AtomicInteger conflicts = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(writers);
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        String number = "RACE-" + writer + "-" + i;
                        byte[] ubl = SAMPLES.document(DocumentType.INVOICE, true, number, null).getBytes(StandardCharsets.UTF_8);
                        while (true) {
                            try {
                                store.sign("race", "300000000000003:" + number, (icv, pih) -> SIGNER.sign(ubl, icv, pih, Instant.now()));
                                break;
                            } catch (ChainStore.ChainConflict e) {
                                conflicts.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(120, java.util.concurrent.TimeUnit.SECONDS);
            }
            pool.shutdown();
            java.util.List<ChainStore.Stored> chain = new java.util.ArrayList<>();
            store.forEach("race", chain::add);
            assertEquals(writers * each, chain.size());
            String previous = io.zatcagateway.core.InvoiceHash.GENESIS_PIH;
            for (int i = 0; i < chain.size(); i++) {
                assertEquals(i + 1, chain.get(i).icv(), "no gap, no double ICV");
                assertEquals(previous, chain.get(i).pih(), "ICV " + (i + 1) + " links to the document before it");
                previous = chain.get(i).invoiceHash();
            }
            assertEquals(Map.entry((long) writers * each, previous), store.head("race"));
            System.out.println("racing writers: " + conflicts.get() + " conflicts, taken again");
        }
    }

    static String explain(HikariDataSource ds, String query) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("EXPLAIN " + query)) {
            r.next();
            return r.getString(1);
        }
    }

    static Map<String, String> columnTypes(HikariDataSource ds) throws SQLException {
        Map<String, String> types = new java.util.HashMap<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'CHAIN_DOCUMENT'")) {
            while (r.next()) {
                types.put(r.getString(1).toLowerCase(), r.getString(2));
            }
        }
        return types;
    }

    static java.util.Set<String> indexes(HikariDataSource ds) throws SQLException {
        java.util.Set<String> names = new java.util.TreeSet<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_NAME = 'CHAIN_DOCUMENT'")) {
            while (r.next()) {
                names.add(r.getString(1).toLowerCase());
            }
        }
        return names;
    }

    /**
     * The status and metrics queries look up the documents in an open state through the index on (state, EGS): with
     * the earlier index on (EGS, state) they read the whole table, a cost that grew with every document ever signed.
     * The signed bytes, the answer and the history stay in the row (no H2 LOB), and status() counts what it should.
     */
    @Test
    void statusReadsTheOpenDocumentsThroughTheStateIndex() throws Exception {
        try (HikariDataSource ds = pool(";WRITE_DELAY=" + ChainStore.H2_WRITE_DELAY_MS + ";DB_CLOSE_DELAY=-1")) {
            ChainStore store = new ChainStore(ds);
            for (String query : new String[] {ChainStore.STATUS_COUNTS, ChainStore.STATUS_OLDEST_SIMPLIFIED}) {
                String plan = explain(ds, query);
                // an index condition on the state (a lookup), not a walk over the whole index or table
                assertTrue(plan.contains("CHAIN_DOCUMENT_OPEN: STATE IN("), plan);
            }
            // besides those of the primary and unique keys (named by H2), only the state index
            assertEquals(java.util.List.of("chain_document_open"), indexes(ds).stream()
                    .filter(n -> !n.startsWith("primary_key_") && !n.startsWith("chain_document_key_index_")).toList(), indexes(ds).toString());
            Map<String, String> types = columnTypes(ds);
            assertEquals("BINARY VARYING", types.get("signed_xml"));
            assertEquals("CHARACTER VARYING", types.get("response"));
            assertEquals("CHARACTER VARYING", types.get("history"));
            String[] keys = new String[4];
            for (int i = 0; i < 4; i++) {
                String number = "STATUS-" + i;
                byte[] ubl = SAMPLES.document(DocumentType.INVOICE, true, number, null).getBytes(StandardCharsets.UTF_8);
                keys[i] = "300000000000003:" + number;
                ChainStore.Stored d = store.sign("status", keys[i], (icv, pih) -> SIGNER.sign(ubl, icv, pih, Instant.now()));
                assertEquals(d.signedXml().length, store.find(keys[i]).orElseThrow().signedXml().length);
            }
            store.finish(keys[0], ChainStore.State.REPORTED, 200, "{}", "ZATCA answered 200: reported");
            store.attempt(keys[1], ChainStore.State.RETRYING, "ZATCA unavailable: 503");
            store.finish(keys[2], ChainStore.State.DEAD, null, null, "dead-lettered: 413");
            ChainStore.EgsStatus st = store.status().get("status");
            assertEquals(4, st.lastIcv());
            assertEquals(1, st.signedUnanswered(), st.toString());
            assertEquals(1, st.retrying(), st.toString());
            assertEquals(1, st.deadLettered(), st.toString());
            assertEquals(0, st.rejected(), st.toString());
            assertEquals(store.find(keys[1]).orElseThrow().signedAt(), st.oldestUnreportedSimplified());
        }
    }

    /**
     * A database made by an earlier version (signed bytes as BLOB, answer and history as CLOB, index on EGS and state)
     * is taken over as it is: the old index gives way to the new one, the columns keep their types, and signing,
     * a history long enough for H2's LOB store, reading back and status all work on it.
     */
    @Test
    void aDatabaseOfTheEarlierSchemaIsTakenOver() throws Exception {
        try (HikariDataSource ds = pool(";WRITE_DELAY=" + ChainStore.H2_WRITE_DELAY_MS + ";DB_CLOSE_DELAY=-1")) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE chain_head (egs VARCHAR(64) PRIMARY KEY, last_icv BIGINT NOT NULL, "
                        + "last_hash VARCHAR(100) NOT NULL, updated_at TIMESTAMP NOT NULL)");
                s.execute("CREATE TABLE chain_document (egs VARCHAR(64) NOT NULL, icv BIGINT NOT NULL, "
                        + "doc_key VARCHAR(300) NOT NULL, number VARCHAR(200), uuid VARCHAR(64), kind VARCHAR(40), standard BOOLEAN NOT NULL, "
                        + "issue_time VARCHAR(32), supply_date VARCHAR(16), invoice_hash VARCHAR(100) NOT NULL, pih VARCHAR(100) NOT NULL, "
                        + "signed_xml BLOB NOT NULL, state VARCHAR(16) NOT NULL, zatca_status INTEGER, response CLOB, "
                        + "history CLOB, signed_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL, "
                        + "PRIMARY KEY (egs, icv), CONSTRAINT chain_document_key UNIQUE (doc_key))");
                s.execute("CREATE INDEX chain_document_state ON chain_document (egs, state)");
            }
            ChainStore store = new ChainStore(ds);
            assertTrue(indexes(ds).contains("chain_document_open") && !indexes(ds).contains("chain_document_state"), indexes(ds).toString());
            assertEquals("BINARY LARGE OBJECT", columnTypes(ds).get("signed_xml"));
            assertEquals("CHARACTER LARGE OBJECT", columnTypes(ds).get("history"));
            assertTrue(explain(ds, ChainStore.STATUS_COUNTS).contains("CHAIN_DOCUMENT_OPEN: STATE IN("));
            byte[] ubl = SAMPLES.document(DocumentType.INVOICE, true, "OLD-1", null).getBytes(StandardCharsets.UTF_8);
            String key = "300000000000003:OLD-1";
            ChainStore.Stored signed = store.sign("old", key, (icv, pih) -> SIGNER.sign(ubl, icv, pih, Instant.now()));
            for (int i = 0; i < 5; i++) {
                store.attempt(key, ChainStore.State.RETRYING, "attempt " + i + " " + "x".repeat(80));
            }
            store.finish(key, ChainStore.State.CLEARED, 200, "{\"clearanceStatus\":\"CLEARED\"}", "ZATCA answered 200: cleared");
            ChainStore.Stored d = store.find(key).orElseThrow();
            assertTrue(java.util.Arrays.equals(signed.signedXml(), d.signedXml()), "the stored bytes come back as signed");
            assertEquals(7, d.history().split("\n").length, d.history());
            assertEquals(ChainStore.State.CLEARED, d.state());
            assertEquals(1, store.status().get("old").lastIcv());
            assertEquals(0, store.status().get("old").retrying());
        }
    }
}
