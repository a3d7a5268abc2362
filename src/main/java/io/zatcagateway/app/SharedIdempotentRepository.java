package io.zatcagateway.app;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * </ul>
 * Used for the intake's document keys (no take-over: they are kept for good) and for the inbox and SFTP read locks.
 */
public class SharedIdempotentRepository extends JdbcMessageIdRepository {
    private static final Logger LOG = LoggerFactory.getLogger(SharedIdempotentRepository.class);
    /** The width of Camel's messageId column. */
    static final int KEY_COLUMN = 100;
    private final Duration staleAfter;
    /** Locks: the time each one this instance holds was written with; its release deletes that row, not a successor's. */
    private final Map<String, Timestamp> held = new ConcurrentHashMap<>();

    public SharedIdempotentRepository(DataSource dataSource, String processorName) {
        super(dataSource, processorName);
        this.staleAfter = null;
    }

    /** @param staleAfter ISO-8601 duration (PT10M): a key older than this is taken over by the next {@link #add} */
    public SharedIdempotentRepository(DataSource dataSource, String processorName, String staleAfter) {
        super(dataSource, processorName);
        this.staleAfter = Duration.parse(staleAfter);
        if (this.staleAfter.isNegative() || this.staleAfter.isZero()) {
            throw new IllegalArgumentException("the read-lock take-over time must be positive: " + staleAfter);
        }
    }

    @Override
    public boolean add(String key) {
        String k = stored(key);
        try {
            if (super.add(k)) {
                return true;
            }
        } catch (DataIntegrityViolationException anotherInstanceWasFirst) {
            return false;
        }
        return staleAfter != null && takeOver(key, k);
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
            boolean mine = super.add(k);
            if (mine) {
                LOG.warn("Took over the {} lock on {}: held for more than {} by an instance that is gone or stuck", getProcessorName(), key, staleAfter);
            }
            return mine;
        } catch (DataIntegrityViolationException anotherInstanceWasFirst) {
            return false;
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
    public boolean contains(String key) {
        return super.contains(stored(key));
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
    }
}
