package io.zatcagateway.app;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * Camel's JDBC idempotent repository, made safe for several gateway instances on one database.
 * <ul>
 *   <li>The table's primary key (processor name, key) decides who was first; the instance that loses the race is told
 *   "already there" (false) instead of getting the database's duplicate-key error.</li>
 *   <li>Keys longer than the table's column (100 characters; a file's absolute path easily is) are stored as their
 *   SHA-256, instead of failing on every attempt, which would leave such a file in the inbox for ever.</li>
 *   <li>With {@code staleAfter} (the inbox read locks): a key held longer than that is taken over, with a warning. An
 *   instance killed while it held a file's lock never releases it; without this the file would wait for a person.
 *   Whatever that instance had already queued of the file is caught as a repeat by the intake's document keys. An
 *   instance that was only stuck and wakes up cannot release its successor's lock: a release deletes the row this
 *   instance wrote (same key and time), nothing else, and a release of a lock this instance does not hold does
 *   nothing.</li>
 *   <li>With {@code releaseDelayMillis} (the read locks again): {@link #releaseLater} deletes a lock that long after the
 *   call, together with the others due by then, in one transaction, on one thread of its own. At about 1,000 files a
 *   second, one scheduled task and one transaction per lock cost about 0.1 ms of CPU per file. A stop releases every
 *   waiting lock at once.</li>
 * </ul>
 * {@link #add} is one INSERT and {@link #contains} one SELECT, each in its own auto-committed statement: Camel's
 * repository wraps a SELECT and the INSERT in a transaction, which cost a statement and a commit more per document and
 * decides nothing the primary key does not. Used for the intake's document keys (no take-over: they are kept for good)
 * and for the inbox and SFTP read locks.
 */
public class SharedIdempotentRepository extends JdbcMessageIdRepository {
    private static final Logger LOG = LoggerFactory.getLogger(SharedIdempotentRepository.class);
    /** The width of Camel's messageId column. */
    static final int KEY_COLUMN = 100;
    private final Duration staleAfter;
    /** Locks: the time each one this instance holds was written with; its release deletes that row, not a successor's. */
    private final Map<String, Timestamp> held = new ConcurrentHashMap<>();
    private final long releaseDelayMillis;
    /** Locks given up by {@link #releaseLater}, in the order they fall due (the delay is the same for each). */
    private final ConcurrentLinkedQueue<Release> releases = new ConcurrentLinkedQueue<>();
    /** A batch whose delete failed, tried again first (guarded by this). */
    private volatile List<Release> retry = List.of();
    private volatile ScheduledExecutorService releaser;

    private record Release(String key, Timestamp written, long dueNanos) { }

    public SharedIdempotentRepository(DataSource dataSource, String processorName) {
        super(dataSource, processorName);
        this.staleAfter = null;
        this.releaseDelayMillis = 0;
    }

    /** @param staleAfter ISO-8601 duration (PT10M): a key older than this is taken over by the next {@link #add} */
    public SharedIdempotentRepository(DataSource dataSource, String processorName, String staleAfter) {
        this(dataSource, processorName, staleAfter, 0);
    }

    /**
     * @param staleAfter ISO-8601 duration (PT10M): a key older than this is taken over by the next {@link #add}
     * @param releaseDelayMillis how long after {@link #releaseLater} a lock is deleted (0: at once)
     */
    public SharedIdempotentRepository(DataSource dataSource, String processorName, String staleAfter, long releaseDelayMillis) {
        super(dataSource, processorName);
        this.staleAfter = Duration.parse(staleAfter);
        if (this.staleAfter.isNegative() || this.staleAfter.isZero()) {
            throw new IllegalArgumentException("the read-lock take-over time must be positive: " + staleAfter);
        }
        if (releaseDelayMillis < 0) {
            throw new IllegalArgumentException("the read-lock release delay must not be negative: " + releaseDelayMillis);
        }
        this.releaseDelayMillis = releaseDelayMillis;
    }

    @Override
    public boolean add(String key) {
        String k = stored(key);
        try {
            // the primary key (processor name, key) refuses a second row: no SELECT first, no transaction around it
            insert(k);
            return true;
        } catch (DataIntegrityViolationException alreadyThere) {
            return staleAfter != null && takeOver(key, k);
        }
    }

    @Override
    public boolean contains(String key) {
        return queryForInt(stored(key)) > 0;
    }

    private boolean takeOver(String key, String k) {
        String table = getTableName() == null ? "CAMEL_MESSAGEPROCESSED" : getTableName();
        Timestamp limit = new Timestamp(System.currentTimeMillis() - staleAfter.toMillis());
        int gone = getJdbcTemplate().update("DELETE FROM " + table + " WHERE processorName = ? AND messageId = ? AND createdAt < ?",
                getProcessorName(), k, limit);
        if (gone == 0) {
            return false;
        }
        try {
            insert(k);
        } catch (DataIntegrityViolationException anotherInstanceWasFirst) {
            return false;
        }
        LOG.warn("Took over the {} lock on {}: held for more than {} by an instance that is gone or stuck", getProcessorName(), key, staleAfter);
        return true;
    }

    /**
     * Releases a lock this instance holds {@code releaseDelayMillis} from now (at once when there is no delay or the
     * repository is not running). Until then the row stays, so no instance takes the key meanwhile.
     */
    public void releaseLater(String key) {
        if (releaseDelayMillis == 0 || releaser == null) {
            remove(key);
            return;
        }
        String k = stored(key);
        Timestamp mine = held.remove(k);
        if (mine != null) {
            releases.add(new Release(k, mine, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(releaseDelayMillis)));
            if (releaser == null) {
                // stopped meanwhile, after its last release: nothing would take this one
                releaseDue(true);
            }
        }
    }

    /** How many locks wait for {@link #releaseLater}'s delay. */
    public int releasesWaiting() {
        return releases.size() + retry.size();
    }

    /** Deletes the waiting locks that are due (all of them: {@code all}) in one transaction. */
    private synchronized void releaseDue(boolean all) {
        List<Release> batch = new ArrayList<>(retry);
        long now = System.nanoTime();
        // only this method takes from the queue, so the head looked at is the head taken
        for (Release r = releases.peek(); r != null && (all || r.dueNanos() - now <= 0); r = releases.peek()) {
            batch.add(releases.poll());
        }
        if (batch.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>(batch.size());
        for (Release r : batch) {
            rows.add(new Object[] {processorName, r.key(), r.written()});
        }
        try {
            // a row this instance wrote (same key and time), nothing else: see delete
            transactionTemplate.executeWithoutResult(status -> jdbcTemplate.batchUpdate(getDeleteString() + " AND createdAt = ?", rows));
            retry = List.of();
        } catch (RuntimeException e) {
            retry = batch;
            LOG.warn("Could not release {} {} locks (tried again shortly; a lock never released is taken over after {}): {}",
                    batch.size(), processorName, staleAfter, e.toString());
        }
    }

    @Override
    protected int insert(String key) {
        // unique per instance and key: a later holder (after a take-over) never has the same time
        Timestamp now = new Timestamp(System.currentTimeMillis());
        int n = jdbcTemplate.update(getInsertString(), processorName, key, now);
        if (staleAfter != null) {
            // locks only: they are released soon; document keys are kept for good and not remembered here
            held.put(key, now);
        }
        return n;
    }

    @Override
    protected int delete(String key) {
        if (staleAfter == null) {
            return super.delete(key);
        }
        Timestamp mine = held.remove(key);
        if (mine == null) {
            // not held here: nothing to release. Camel's file consumer calls remove for every file of a poll it could
            // not start (when the endpoint is "idempotent eager", its default), which released other instances' locks
            return 0;
        }
        // an instance that was stuck past the take-over time and wakes up must not release its successor's lock
        return jdbcTemplate.update(getDeleteString() + " AND createdAt = ?", processorName, key, mine);
    }

    @Override
    public boolean remove(String key) {
        return super.remove(stored(key));
    }

    @Override
    public boolean confirm(String key) {
        return super.confirm(stored(key));
    }

    static String stored(String key) {
        if (key.length() <= KEY_COLUMN) {
            return key;
        }
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void doStart() throws Exception {
        try {
            super.doStart();
        } catch (Exception e) {
            // two instances starting together: one creates the table, the other's CREATE fails; the table is there now
            super.doStart();
        }
        if (releaseDelayMillis > 0) {
            ScheduledExecutorService r = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread t = new Thread(task, "LockRelease " + processorName);
                t.setDaemon(true);
                return t;
            });
            long every = Math.max(10, Math.min(250, releaseDelayMillis / 4));
            r.scheduleWithFixedDelay(() -> releaseDue(false), every, every, TimeUnit.MILLISECONDS);
            releaser = r;
        }
    }

    @Override
    protected void doStop() throws Exception {
        ScheduledExecutorService r = releaser;
        releaser = null;
        if (r != null) {
            r.shutdown();
            r.awaitTermination(10, TimeUnit.SECONDS);
            // a stop does not wait out the delay: files moved out of the inbox are not listed again
            releaseDue(true);
        }
        super.doStop();
    }
}
