package io.zatcagateway.app;

import com.jcraft.jsch.ChannelSftp;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.component.file.GenericFileExclusiveReadLockStrategy;
import org.apache.camel.component.file.GenericFileOperations;
import org.apache.camel.component.file.remote.strategy.SftpChangedExclusiveReadLockStrategy;
import org.apache.camel.spi.IdempotentRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SFTP drop's read lock across gateway instances: a row in the shared {@link SharedIdempotentRepository} (one
 * instance per file), then Camel's "changed" check (the ERP has finished writing). Camel's SFTP consumer has no
 * repository-backed read lock of its own: its {@code readLock} option knows only none, rename and changed, and
 * silently ignores "idempotent-changed", so without this every instance read every file. The lock is released after
 * the file has been moved to the server's archive folder (Camel renames before it releases); an instance whose
 * listing still showed the file then finds it gone and skips it.
 */
public final class SharedReadLock implements GenericFileExclusiveReadLockStrategy<ChannelSftp.LsEntry> {
    private static final Logger LOG = LoggerFactory.getLogger(SharedReadLock.class);
    private final IdempotentRepository locks;
    private final String keyPrefix;
    private final SftpChangedExclusiveReadLockStrategy changed = new SftpChangedExclusiveReadLockStrategy();

    private SharedReadLock(IdempotentRepository locks, String keyPrefix) {
        this.locks = locks;
        this.keyPrefix = keyPrefix;
    }

    /**
     * @param server for the lock key, so that two servers' files of the same path are two locks: {@code host:port}
     * @param minAgeMillis how long a file must be unchanged before it is taken
     */
    public static SharedReadLock sftp(IdempotentRepository locks, String server, long minAgeMillis, long checkIntervalMillis) {
        SharedReadLock lock = new SharedReadLock(locks, "sftp://" + server + "/");
        lock.changed.setMinAge(minAgeMillis);
        lock.changed.setCheckInterval(checkIntervalMillis);
        // Camel's default for the SFTP read lock; 0 would wait for ever on a file that is gone
        lock.changed.setTimeout(10_000);
        lock.changed.setMarkerFiler(false);
        lock.changed.setDeleteOrphanLockFiles(false);
        return lock;
    }

    private String key(GenericFile<ChannelSftp.LsEntry> file) {
        return keyPrefix + file.getAbsoluteFilePath();
    }

    @Override
    public void prepareOnStartup(GenericFileOperations<ChannelSftp.LsEntry> operations, GenericFileEndpoint<ChannelSftp.LsEntry> endpoint)
            throws Exception {
        changed.prepareOnStartup(operations, endpoint);
    }

    @Override
    public boolean acquireExclusiveReadLock(GenericFileOperations<ChannelSftp.LsEntry> operations, GenericFile<ChannelSftp.LsEntry> file,
                                            Exchange exchange) throws Exception {
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
    public void releaseExclusiveReadLockOnAbort(GenericFileOperations<ChannelSftp.LsEntry> operations, GenericFile<ChannelSftp.LsEntry> file,
                                                Exchange exchange) {
        // abort: the lock was not acquired, or acquiring it failed and already let go
    }

    @Override
    public void releaseExclusiveReadLockOnRollback(GenericFileOperations<ChannelSftp.LsEntry> operations, GenericFile<ChannelSftp.LsEntry> file,
                                                   Exchange exchange) {
        locks.remove(key(file));
    }

    /** Camel calls this after the file was moved to the archive folder. */
    @Override
    public void releaseExclusiveReadLockOnCommit(GenericFileOperations<ChannelSftp.LsEntry> operations, GenericFile<ChannelSftp.LsEntry> file,
                                                 Exchange exchange) {
        locks.remove(key(file));
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
