package io.zatcagateway.chain;

import io.zatcagateway.core.InvoiceHash;
import io.zatcagateway.core.SignedInvoice;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The durable chain of every EGS: for each document its ICV, PIH, hash, UUID, the exact signed bytes, its state and the
 * history of its submissions. One row per EGS holds the chain head (last ICV, last hash).
 *
 * <p>Signing is one database transaction: read the head, stamp and sign, insert the document, move the head with a
 * compare-and-set on the old ICV, commit, then wait for the commit to be on disk (group commit). Two writers of one
 * EGS can never both succeed: the second one's compare-and-set (or the primary key on EGS + ICV) fails, so a chain
 * cannot fork even when two consumers or two instances race. A document key (seller VAT + document number) is signed
 * at most once: a second arrival gets the stored document back, never a new ICV.
 *
 * <p>Durability: PostgreSQL commits are fsync'd by the server ({@code synchronous_commit} and {@code fsync} must be on;
 * checked at start). On H2 (the embedded default) every commit is followed by {@code CHECKPOINT SYNC}, which writes
 * all committed changes and forces the file to disk; concurrent commits share one. H2's {@code WRITE_DELAY} must not
 * be 0: that stops H2's background writer, which is also what compacts the file, and the file then grew by about
 * 147 KB per document while the gateway ran (a 28,000-document run left 4.1 GB, 168 MB after compaction; with the
 * writer running, 78 KB per document under the same sustained load). The store refuses to start on a write delay of
 * 0; {@link #H2_WRITE_DELAY_MS} is the value shipped.
 *
 * <p>Several gateway instances on one PostgreSQL: the head row is locked ({@code SELECT ... FOR UPDATE}) for the whole
 * signing transaction, so a second writer of the same EGS waits and then continues from the first one's head. A writer
 * that stalls while holding the lock (a paused JVM, a lost network) is fenced off by the server: its transaction may sit
 * idle for at most the writer timeout ({@code idle_in_transaction_session_timeout}, default 30 s), after which PostgreSQL
 * ends its session and releases the lock; whatever it signed is rolled back and can never be committed later. A waiting
 * writer gives up after the same time ({@code lock_timeout}) and its message is delivered again.
 */
public final class ChainStore {
    /** H2's write delay as shipped (ms): commits not forced by the store reach the file within this time. */
    public static final int H2_WRITE_DELAY_MS = 100;
    /** Where a document is in its life. Final: CLEARED, REPORTED, REJECTED. DEAD waits for a person (replay). */
    public enum State {
        SIGNED, RETRYING, CLEARED, REPORTED, REJECTED, DEAD;

        public boolean isFinal() {
            return this == CLEARED || this == REPORTED || this == REJECTED;
        }
    }

    /** One stored document. */
    public record Stored(String egs, long icv, String documentKey, String number, String uuid, String kind, boolean standard,
                         String issueTime, String supplyDate, String invoiceHash, String pih, byte[] signedXml, State state,
                         Integer zatcaStatus, String response, String history, Instant signedAt) {
    }

    /** Signs a document with the ICV and PIH the store hands out. */
    public interface Signer {
        SignedInvoice sign(long icv, String pih) throws Exception;
    }

    /** Another writer moved the chain head first: nothing was stored; the document must be taken again. */
    public static final class ChainConflict extends Exception {
        public ChainConflict(String message) {
            super(message);
        }
    }

    /** What {@link #status()} shows per EGS. */
    public record EgsStatus(String egs, long lastIcv, int signedUnanswered, int retrying, int deadLettered, int rejected,
                            Instant oldestUnreportedSimplified) {
    }

    /** Default longest time a signing transaction may stall or wait for another instance's (PostgreSQL). */
    public static final Duration DEFAULT_WRITER_TIMEOUT = Duration.ofSeconds(30);

    private final DataSource ds;
    private final boolean h2;
    private final boolean pg;
    private final String fence;
    private final GroupSync sync;
    private final String headForUpdate;
    private final String signedBy;
    private final Set<String> knownHeads = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public ChainStore(DataSource ds) throws SQLException {
        this(ds, DEFAULT_WRITER_TIMEOUT);
    }

    public ChainStore(DataSource ds, Duration writerTimeout) throws SQLException {
        this(ds, writerTimeout, null);
    }

    /**
     * @param writerTimeout how long a signing transaction may stall, or wait for another instance's (PostgreSQL)
     * @param writer the gateway instance that signs, named in each document's history (null: not named)
     */
    public ChainStore(DataSource ds, Duration writerTimeout, String writer) throws SQLException {
        this.ds = ds;
        this.signedBy = writer == null || writer.isBlank() ? "" : " by " + writer;
        long ms = Math.max(1, writerTimeout.toMillis());
        this.fence = "SET LOCAL lock_timeout = " + ms + "; SET LOCAL idle_in_transaction_session_timeout = " + ms;
        boolean[] kind = new boolean[2];
        for (int attempt = 1; ; attempt++) {
            try {
                createTables(kind);
                break;
            } catch (SQLException e) {
                // two instances starting together: PostgreSQL's CREATE ... IF NOT EXISTS can still collide; once more
                if (attempt == 3) {
                    throw e;
                }
            }
        }
        h2 = kind[0];
        pg = kind[1];
        sync = new GroupSync(h2 ? this::checkpointSync : () -> { });
        // H2 serves one gateway instance (the commands that open it while it runs only read), whose single consumer per
        // EGS is the only writer of that EGS's chain; and H2 does not cache a statement with FOR UPDATE: it parsed it
        // again for every document (1.3% of an end-to-end profile's samples; alone, 4-6 us against 1.2 us without it).
        // The compare-and-set on the head and the primary key (EGS, ICV) still refuse a second writer there
        // (ChainStoreH2Test races four).
        headForUpdate = "SELECT last_icv, last_hash FROM chain_head WHERE egs = ?" + (h2 ? "" : " FOR UPDATE");
    }

    private void createTables(boolean[] kind) throws SQLException {
        try (Connection c = ds.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName();
            boolean h2 = product.toLowerCase().contains("h2");
            boolean pg = product.toLowerCase().contains("postgres");
            kind[0] = h2;
            kind[1] = pg;
            // H2 keeps a BLOB or CLOB of more than 256 bytes in its LOB store: maps of its own, written for every value,
            // and work for its LOB cleaner for every value replaced, as the history is at each update. H2's binary and
            // character strings (up to 1e9 bytes) stay in the row. In a store harness (4 EGS, 17 KB documents, sign and
            // finish, three alternating runs) the store's CPU went from 0.69-1.46 to 0.58-0.84 ms per document with this
            // and the index below. A database created with BLOB and CLOB keeps them: the store reads and writes both.
            String blob = pg ? "BYTEA" : "VARBINARY";
            String text = pg ? "TEXT" : "VARCHAR";
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS chain_head (egs VARCHAR(64) PRIMARY KEY, last_icv BIGINT NOT NULL, "
                        + "last_hash VARCHAR(100) NOT NULL, updated_at TIMESTAMP NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS chain_document (egs VARCHAR(64) NOT NULL, icv BIGINT NOT NULL, "
                        + "doc_key VARCHAR(300) NOT NULL, number VARCHAR(200), uuid VARCHAR(64), kind VARCHAR(40), standard BOOLEAN NOT NULL, "
                        + "issue_time VARCHAR(32), supply_date VARCHAR(16), invoice_hash VARCHAR(100) NOT NULL, pih VARCHAR(100) NOT NULL, "
                        + "signed_xml " + blob + " NOT NULL, state VARCHAR(16) NOT NULL, zatca_status INTEGER, response " + text + ", "
                        + "history " + text + ", signed_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL, "
                        + "PRIMARY KEY (egs, icv), CONSTRAINT chain_document_key UNIQUE (doc_key))");
                // by state first: the status and metrics queries ask for the few documents in an open state (SIGNED,
                // RETRYING, DEAD) of every EGS, which an index on (egs, state) cannot serve; they scanned the whole table
                // (82-210 ms at 10,000-40,000 documents, growing with the chain) instead of 0.8-2.6 ms. The index of
                // earlier versions goes.
                s.execute("DROP INDEX IF EXISTS chain_document_state");
                s.execute("CREATE INDEX IF NOT EXISTS chain_document_open ON chain_document (state, egs)");
            }
            if (h2) {
                // durability comes from CHECKPOINT SYNC after each commit (sync.await()); H2's background writer must
                // run, or the file is never compacted. A URL setting is applied again by every new pooled connection, so
                // it cannot be overridden here: refuse it.
                try (Statement st = c.createStatement();
                        ResultSet r = st.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
                    if (r.next() && Integer.parseInt(r.getString(1).trim()) <= 0) {
                        throw new SQLException("H2 WRITE_DELAY=0 in gateway.database.url stops H2's background writer, which is also what "
                                + "compacts the database file: it grows by about 150 KB per document and is not reclaimed while the gateway runs. Remove it or set "
                                + "WRITE_DELAY=" + H2_WRITE_DELAY_MS + " (the chain's commits stay durable: each is followed by CHECKPOINT SYNC)");
                    }
                }
            } else if (pg) {
                for (String setting : List.of("fsync", "synchronous_commit")) {
                    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW " + setting)) {
                        r.next();
                        if (!"on".equalsIgnoreCase(r.getString(1)) && !"remote_apply".equalsIgnoreCase(r.getString(1))
                                && !"remote_write".equalsIgnoreCase(r.getString(1))) {
                            throw new SQLException("the chain store needs PostgreSQL's " + setting + " = on (it is " + r.getString(1)
                                    + "): without it a commit is acknowledged before it is on disk");
                        }
                    }
                }
            }
        }
    }

    private void checkpointSync() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CHECKPOINT SYNC");
        }
    }

    /** How many forced flushes the store made (for benchmarks: documents per flush). */
    public long flushes() {
        return sync.flushes();
    }

    /** The stored document of this key, if it was signed before. */
    public Optional<Stored> find(String documentKey) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM chain_document WHERE doc_key = ?")) {
            ps.setString(1, documentKey);
            try (ResultSet r = ps.executeQuery()) {
                return r.next() ? Optional.of(read(r)) : Optional.empty();
            }
        }
    }

    /**
     * Takes the next ICV and PIH of {@code egs}, signs with them and stores the result durably. Returns only after the
     * commit is on disk. Throws {@link ChainConflict} when another writer moved the head meanwhile (nothing stored).
     */
    public Stored sign(String egs, String documentKey, Signer signer) throws Exception {
        Instant now = Instant.now();
        Stored stored;
        try (Connection c = ds.getConnection()) {
            ensureHead(c, egs);
            c.setAutoCommit(false);
            try {
                if (pg) {
                    try (Statement st = c.createStatement()) {
                        st.execute(fence);
                    }
                }
                long lastIcv = 0;
                String lastHash = InvoiceHash.GENESIS_PIH;
                boolean headExists = false;
                try (PreparedStatement ps = c.prepareStatement(headForUpdate)) {
                    ps.setString(1, egs);
                    try (ResultSet r = ps.executeQuery()) {
                        if (r.next()) {
                            headExists = true;
                            lastIcv = r.getLong(1);
                            lastHash = r.getString(2);
                        }
                    }
                }
                long icv = lastIcv + 1;
                SignedInvoice s = signer.sign(icv, lastHash);
                if (s.icv() != icv || !lastHash.equals(s.pih())) {
                    throw new IllegalStateException("the signer stamped ICV " + s.icv() + " / PIH " + s.pih() + " instead of " + icv + " / " + lastHash);
                }
                stored = new Stored(egs, icv, documentKey, s.facts().id(), s.uuid(), s.facts().kindName(),
                        s.facts().flags() != null && s.facts().flags().standard(), s.facts().qrTimestamp(), s.facts().supplyDate(),
                        s.invoiceHash(), s.pih(), s.xml(), State.SIGNED, null, null, now + " signed with ICV " + icv + signedBy + "\n", now);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO chain_document (egs, icv, doc_key, number, uuid, kind, standard, "
                        + "issue_time, supply_date, invoice_hash, pih, signed_xml, state, history, signed_at, updated_at) "
                        + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                    ps.setString(1, egs);
                    ps.setLong(2, icv);
                    ps.setString(3, documentKey);
                    ps.setString(4, stored.number());
                    ps.setString(5, stored.uuid());
                    ps.setString(6, stored.kind());
                    ps.setBoolean(7, stored.standard());
                    ps.setString(8, stored.issueTime());
                    ps.setString(9, stored.supplyDate());
                    ps.setString(10, stored.invoiceHash());
                    ps.setString(11, stored.pih());
                    ps.setBytes(12, stored.signedXml());
                    ps.setString(13, State.SIGNED.name());
                    ps.setString(14, stored.history());
                    ps.setTimestamp(15, Timestamp.from(now));
                    ps.setTimestamp(16, Timestamp.from(now));
                    ps.executeUpdate();
                }
                int moved;
                if (headExists) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE chain_head SET last_icv = ?, last_hash = ?, updated_at = ? WHERE egs = ? AND last_icv = ?")) {
                        ps.setLong(1, icv);
                        ps.setString(2, s.invoiceHash());
                        ps.setTimestamp(3, Timestamp.from(now));
                        ps.setString(4, egs);
                        ps.setLong(5, lastIcv);
                        moved = ps.executeUpdate();
                    }
                } else {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO chain_head (egs, last_icv, last_hash, updated_at) VALUES (?,?,?,?)")) {
                        ps.setString(1, egs);
                        ps.setLong(2, icv);
                        ps.setString(3, s.invoiceHash());
                        ps.setTimestamp(4, Timestamp.from(now));
                        moved = ps.executeUpdate();
                    }
                }
                if (moved != 1) {
                    throw new ChainConflict("EGS " + egs + ": another writer moved the chain head past ICV " + lastIcv);
                }
                c.commit();
            } catch (SQLException e) {
                rollbackQuietly(c, e);
                if (isConstraintViolation(e)) {
                    Optional<Stored> existing = find(documentKey);
                    if (existing.isPresent()) {
                        return existing.get();
                    }
                    throw new ChainConflict("EGS " + egs + ": another writer took the same ICV (" + e.getMessage() + ")");
                }
                throw e;
            } catch (Exception e) {
                rollbackQuietly(c, e);
                throw e;
            }
        }
        sync.await();
        return stored;
    }

    /**
     * The head row of a new EGS (ICV 0, the genesis PIH), committed on its own, so that even the first document is
     * taken under the head's row lock: two instances starting one EGS together wait for each other instead of racing.
     */
    private void ensureHead(Connection c, String egs) throws SQLException {
        if (knownHeads.contains(egs)) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO chain_head (egs, last_icv, last_hash, updated_at) "
                + "SELECT ?, 0, ?, ? WHERE NOT EXISTS (SELECT 1 FROM chain_head WHERE egs = ?)")) {
            ps.setString(1, egs);
            ps.setString(2, InvoiceHash.GENESIS_PIH);
            ps.setTimestamp(3, Timestamp.from(Instant.now()));
            ps.setString(4, egs);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (!isConstraintViolation(e)) {
                throw e;
            }
            // another instance inserted it at the same moment
        }
        knownHeads.add(egs);
    }

    /** Rolls back, keeping the first failure as the one reported (a fenced-off session cannot roll back either). */
    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static boolean isConstraintViolation(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("23");
    }

    /** Records one submission attempt that did not end the document (not forced to disk: a lost line is only history). */
    public void attempt(String documentKey, State state, String line) throws Exception {
        update(documentKey, state, null, null, line, false);
    }

    /** Records the end of a submission (or a dead letter), durably: returns once it is on disk. */
    public void finish(String documentKey, State state, Integer zatcaStatus, String response, String line) throws Exception {
        update(documentKey, state, zatcaStatus, response, line, true);
    }

    private void update(String documentKey, State state, Integer zatcaStatus, String response, String line, boolean durable) throws Exception {
        Instant now = Instant.now();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE chain_document SET state = ?, history = COALESCE(history, '') || ?, updated_at = ?"
                     + (zatcaStatus != null ? ", zatca_status = ?, response = ?" : "") + " WHERE doc_key = ?")) {
            int i = 1;
            ps.setString(i++, state.name());
            ps.setString(i++, now + " " + line.replace('\n', ' ') + "\n");
            ps.setTimestamp(i++, Timestamp.from(now));
            if (zatcaStatus != null) {
                ps.setInt(i++, zatcaStatus);
                ps.setString(i++, response);
            }
            ps.setString(i, documentKey);
            if (ps.executeUpdate() == 0) {
                throw new SQLException("no stored document with key " + documentKey);
            }
        }
        if (durable) {
            sync.await();
        }
    }

    /** Every document of an EGS in ICV order, one at a time (for chain verification of long chains). */
    public void forEach(String egs, Consumer<Stored> each) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM chain_document WHERE egs = ? ORDER BY icv")) {
            ps.setFetchSize(200);
            ps.setString(1, egs);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    each.accept(read(r));
                }
            }
        }
    }

    /** The chain head of an EGS: last ICV and hash, or null before its first document. */
    public Map.Entry<Long, String> head(String egs) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT last_icv, last_hash FROM chain_head WHERE egs = ?")) {
            ps.setString(1, egs);
            try (ResultSet r = ps.executeQuery()) {
                return r.next() ? Map.entry(r.getLong(1), r.getString(2)) : null;
            }
        }
    }

    /** Documents of {@code egs} (all EGS when null) in one state, oldest first, without their bytes (signedXml null). */
    public List<Stored> inState(String egs, State state, int limit) throws SQLException {
        List<Stored> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS_WITHOUT_BYTES + " FROM chain_document WHERE state = ?"
                     + (egs == null ? "" : " AND egs = ?") + " ORDER BY signed_at, icv")) {
            ps.setString(1, state.name());
            if (egs != null) {
                ps.setString(2, egs);
            }
            ps.setMaxRows(limit);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    out.add(read(r, false));
                }
            }
        }
        return out;
    }

    /** How many documents (of all EGS) are in one of these states. */
    public int count(State... states) throws SQLException {
        StringBuilder in = new StringBuilder();
        for (State st : states) {
            in.append(in.length() == 0 ? "'" : ",'").append(st.name()).append('\'');
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM chain_document WHERE state IN (" + in + ")")) {
            r.next();
            return r.getInt(1);
        }
    }

    /** Documents per EGS in the states that {@link #status()} counts (served by the index on state, EGS). */
    static final String STATUS_COUNTS = "SELECT egs, state, COUNT(*) FROM chain_document WHERE state IN ('SIGNED','RETRYING','DEAD','REJECTED') "
            + "GROUP BY egs, state";
    /** Per EGS, the oldest simplified document not yet reported (served by the same index). */
    static final String STATUS_OLDEST_SIMPLIFIED = "SELECT egs, MIN(signed_at) FROM chain_document WHERE standard = FALSE "
            + "AND state IN ('SIGNED','RETRYING','DEAD') GROUP BY egs";

    /** Per EGS: last ICV, documents signed and not answered, in redelivery, dead-lettered, rejected, oldest unreported simplified. */
    public Map<String, EgsStatus> status() throws SQLException {
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, Instant> oldest = new LinkedHashMap<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT egs, last_icv FROM chain_head ORDER BY egs")) {
                while (r.next()) {
                    counts.computeIfAbsent(r.getString(1), k -> new long[5])[0] = r.getLong(2);
                }
            }
            try (ResultSet r = s.executeQuery(STATUS_COUNTS)) {
                while (r.next()) {
                    long[] a = counts.computeIfAbsent(r.getString(1), k -> new long[5]);
                    int i = switch (State.valueOf(r.getString(2))) {
                        case SIGNED -> 1;
                        case RETRYING -> 2;
                        case DEAD -> 3;
                        default -> 4;
                    };
                    a[i] = r.getLong(3);
                }
            }
            try (ResultSet r = s.executeQuery(STATUS_OLDEST_SIMPLIFIED)) {
                while (r.next()) {
                    oldest.put(r.getString(1), r.getTimestamp(2).toInstant());
                }
            }
        }
        Map<String, EgsStatus> out = new LinkedHashMap<>();
        counts.forEach((egs, a) -> out.put(egs, new EgsStatus(egs, a[0], (int) a[1], (int) a[2], (int) a[3], (int) a[4], oldest.get(egs))));
        return out;
    }

    private static final String COLUMNS_WITHOUT_BYTES = "egs, icv, doc_key, number, uuid, kind, standard, issue_time, supply_date, "
            + "invoice_hash, pih, state, zatca_status, response, history, signed_at";

    private static Stored read(ResultSet r) throws SQLException {
        return read(r, true);
    }

    private static Stored read(ResultSet r, boolean withBytes) throws SQLException {
        Integer status = r.getObject("zatca_status") == null ? null : r.getInt("zatca_status");
        return new Stored(r.getString("egs"), r.getLong("icv"), r.getString("doc_key"), r.getString("number"), r.getString("uuid"),
                r.getString("kind"), r.getBoolean("standard"), r.getString("issue_time"), r.getString("supply_date"),
                r.getString("invoice_hash"), r.getString("pih"), withBytes ? r.getBytes("signed_xml") : null, State.valueOf(r.getString("state")),
                status, r.getString("response"), r.getString("history"), r.getTimestamp("signed_at").toInstant());
    }
}
