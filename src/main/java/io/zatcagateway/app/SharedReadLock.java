package io.zatcagateway.app;

import com.jcraft.jsch.ChannelSftp;
import java.io.File;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.component.file.GenericFileExclusiveReadLockStrategy;
import org.apache.camel.component.file.GenericFileOperations;
import org.apache.camel.component.file.remote.strategy.SftpChangedExclusiveReadLockStrategy;
import org.apache.camel.component.file.strategy.FileChangedExclusiveReadLockStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read lock of the inbox folder and of the SFTP drop, across gateway instances: a row in the shared
 * {@link SharedIdempotentRepository} (one instance per file), then Camel's "changed" check (the ERP has finished
 * writing). After the file has been moved to the archive (Camel renames before it releases), the row is released
 * {@code gateway.intake.lock-release-delay} later, with the others due by then in one transaction
 * ({@link SharedIdempotentRepository#releaseLater}); an instance whose listing still showed the file meanwhile finds the
 * lock taken, and once it is released, the file gone. A file that is not taken (gone, or still being written) or
 * whose exchange failed (it stays in the inbox) is released at once.
 * <p>
 * Camel's SFTP consumer has no repository-backed read lock of its own (its {@code readLock} option knows only none,
 * rename and changed, and silently ignores "idempotent-changed"). The folder's {@code idempotent-changed} has one, but
 * releases each lock in a task and a transaction of its own, and checks that the file still exists before taking the
 * lock instead of after.
 */
public final class SharedReadLock<T> implements GenericFileExclusiveReadLockStrategy<T> {
    private static final Logger LOG = LoggerFactory.getLogger(SharedReadLock.class);
    /** Camel's default read-lock timeout: how long the "changed" check waits for a file that is still growing. */
    private static final long CHANGED_TIMEOUT_MILLIS = 10_000;
    private final SharedIdempotentRepository locks;
    private final String keyPrefix;
    private final GenericFileExclusiveReadLockStrategy<T> changed;

    private SharedReadLock(SharedIdempotentRepository locks, String keyPrefix, GenericFileExclusiveReadLockStrategy<T> changed,
                           long checkIntervalMillis) {
        this.locks = locks;
        this.keyPrefix = keyPrefix;
        this.changed = changed;
        // 0 would wait for ever on a file that is gone
        changed.setTimeout(CHANGED_TIMEOUT_MILLIS);
        changed.setCheckInterval(checkIntervalMillis);
        // no marker files: the lock is the database row
        changed.setMarkerFiler(false);
        changed.setDeleteOrphanLockFiles(false);
    }

    /**
     * @param server for the lock key, so that two servers' files of the same path are two locks: {@code host:port}
     * @param minAgeMillis how long a file must be unchanged before it is taken
     */
    public static SharedReadLock<ChannelSftp.LsEntry> sftp(SharedIdempotentRepository locks, String server, long minAgeMillis,
                                                          long checkIntervalMillis) {
        SftpChangedExclusiveReadLockStrategy changed = new SftpChangedExclusiveReadLockStrategy();
        changed.setMinAge(minAgeMillis);
        return new SharedReadLock<>(locks, "sftp://" + server + "/", changed, checkIntervalMillis);
    }

    /** The inbox folder's: the key is the file's absolute path. */
    public static SharedReadLock<File> file(SharedIdempotentRepository locks, long minAgeMillis, long checkIntervalMillis) {
        FileChangedExclusiveReadLockStrategy changed = new FileChangedExclusiveReadLockStrategy();
        changed.setMinAge(minAgeMillis);
        return new SharedReadLock<>(locks, "", changed, checkIntervalMillis);
    }

    private String key(GenericFile<T> file) {
        return keyPrefix + file.getAbsoluteFilePath();
    }

    @Override
    public void prepareOnStartup(GenericFileOperations<T> operations, GenericFileEndpoint<T> endpoint) throws Exception {
        changed.prepareOnStartup(operations, endpoint);
    }

    @Override
    public boolean acquireExclusiveReadLock(GenericFileOperations<T> operations, GenericFile<T> file, Exchange exchange) throws Exception {
        String key = key(file);
        if (!locks.add(key)) {
            LOG.debug("{} is being read by another instance; skipped", key);
            return false;
        }
        boolean ready = false;
        try {
            if (!operations.existsFile(file.getAbsoluteFilePath())) {
                // another instance read it and moved it to the archive after this poll listed it
                return false;
            }
            ready = changed.acquireExclusiveReadLock(operations, file, exchange);
            return ready;
        } finally {
            if (!ready) {
                locks.remove(key);
            }
        }
    }

    // Camel's "changed" check holds nothing (no marker files), so releasing is deleting this instance's lock row

    @Override
    public void releaseExclusiveReadLockOnAbort(GenericFileOperations<T> operations, GenericFile<T> file, Exchange exchange) {
        // abort: the lock was not acquired, or acquiring it failed and already let go
    }

    /** The exchange failed: the file stays where it is, for the next poll of any instance. */
    @Override
    public void releaseExclusiveReadLockOnRollback(GenericFileOperations<T> operations, GenericFile<T> file, Exchange exchange) {
        locks.remove(key(file));
    }

    /** Camel calls this after the file was moved to the archive folder. */
    @Override
    public void releaseExclusiveReadLockOnCommit(GenericFileOperations<T> operations, GenericFile<T> file, Exchange exchange) {
        locks.releaseLater(key(file));
    }

    @Override
    public void setTimeout(long timeout) {
        changed.setTimeout(timeout);
    }

    @Override
    public void setCheckInterval(long checkInterval) {
        changed.setCheckInterval(checkInterval);
    }

    @Override
    public void setReadLockLoggingLevel(LoggingLevel level) {
        changed.setReadLockLoggingLevel(level);
    }

    @Override
    public void setMarkerFiler(boolean markerFile) {
        // no marker files: the lock is the database row
    }

    @Override
    public void setDeleteOrphanLockFiles(boolean deleteOrphanLockFiles) {
        // no marker files
    }
}
