package io.zatcagateway.app;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;

/**
 * The files a file or SFTP consumer has taken and not yet finished (the endpoint's {@code inProgressRepository}): a
 * name is added when the poller takes the file and removed when its exchange completes, so it holds the files in
 * flight, at most {@code max} (the oldest go first beyond that, as in Camel's own default).
 *
 * <p>Why not Camel's default: in Camel 4.18 it is a {@link MemoryIdempotentRepository} over a {@code SimpleLRUCache}
 * of 50,000, whose {@code remove} leaves the name in the cache's queue of changes. Every file name ever taken stays
 * there, and once the queue holds more than 100,000 distinct names, every new file rebuilds it in full. The intake
 * benchmark showed it: after 100,000 files the inbox fell from about 1,100 to 40 documents/s, the poller's thread busy
 * in {@code SimpleLRUCache.compressChangesIfNeeded}. Camel's later versions replace that cache with a
 * {@link LinkedHashMap} (CAMEL-23267), as here.
 */
public final class InProgressFiles {
    /** Camel's default bound for a file consumer's files in progress. */
    public static final int DEFAULT_MAX = 50_000;

    private InProgressFiles() {
    }

    /** A repository of at most {@code max} names; {@link MemoryIdempotentRepository} locks every access to it. */
    public static IdempotentRepository create(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("the files in progress must be bounded by 1 or more (was " + max + ")");
        }
        Map<String, Object> names = new LinkedHashMap<>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
                return size() > max;
            }
        };
        return MemoryIdempotentRepository.memoryIdempotentRepository(names);
    }
}
