package io.zatcagateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The repository behind the intake's document keys and the inbox read locks, as several instances share it: one
 * winner per key under a race, keys longer than the column, and the take-over of a lock whose holder is gone.
 * (ScaleOutTest runs it on PostgreSQL with three gateway processes.)
 */
class SharedIdempotentRepositoryTest {
    JdbcDataSource ds;

    @BeforeEach
    void database() {
        ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:locks-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    }

    private SharedIdempotentRepository repo(String staleAfter) {
        SharedIdempotentRepository r = staleAfter == null ? new SharedIdempotentRepository(ds, "intake-files")
                : new SharedIdempotentRepository(ds, "intake-files", staleAfter);
        r.start();
        return r;
    }

    @Test
    void oneWinnerWhenEightInstancesRaceForTheSameKey() throws Exception {
        List<SharedIdempotentRepository> instances = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            instances.add(repo("PT10M"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 50; round++) {
                String key = "/srv/inbox/sap/file-" + round + ".xml";
                CyclicBarrier start = new CyclicBarrier(8);
                List<Future<Boolean>> tries = new ArrayList<>();
                for (SharedIdempotentRepository r : instances) {
                    tries.add(pool.submit(() -> {
                        start.await();
                        return r.add(key);
                    }));
                }
                int winners = 0;
                for (Future<Boolean> t : tries) {
                    winners += t.get() ? 1 : 0;
                }
                assertEquals(1, winners, "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void keysLongerThanTheColumnWork() {
        SharedIdempotentRepository r = repo(null);
        String path = "/mnt/erp-exports/" + "very-long-folder-name/".repeat(8) + "INVOIC02_20261123_000001.xml";
        assertTrue(path.length() > SharedIdempotentRepository.KEY_COLUMN);
        assertTrue(r.add(path));
        assertFalse(r.add(path));
        assertTrue(r.contains(path));
        assertFalse(r.contains(path + "x"));
        assertTrue(r.add(path + "x"), "a different long key is a different key");
        assertTrue(r.remove(path));
        assertTrue(r.add(path));
    }

    @Test
    void aLockOlderThanTheTakeOverTimeIsTakenOverOnce() throws Exception {
        SharedIdempotentRepository crashed = repo("PT10M");
        SharedIdempotentRepository survivor = repo("PT10M");
        SharedIdempotentRepository third = repo("PT10M");
        SharedIdempotentRepository documentKeys = new SharedIdempotentRepository(ds, "intake-files");
        documentKeys.start();
        String key = "/srv/inbox/ubl/inv-1.xml";
        assertTrue(crashed.add(key));
        assertFalse(survivor.add(key), "held, and not old");
        // Camel's file consumer releases files it could not start; that must not free another instance's lock
        assertFalse(survivor.remove(key), "a lock held elsewhere is not released here");
        assertFalse(third.add(key), "still held");
        age(key, 11);
        assertFalse(documentKeys.add(key), "without a take-over time a key is kept for good");
        assertTrue(survivor.add(key), "held for 11 minutes: taken over");
        assertFalse(third.add(key), "the new holder's lock is fresh");
        // the old holder was only stuck and wakes up: its release must not free the new holder's lock
        assertFalse(crashed.remove(key));
        assertFalse(third.add(key), "still held by the survivor after the old holder's late release");
        assertTrue(survivor.remove(key));
        assertTrue(third.add(key));
    }

    @Test
    void locksReleasedLaterStayForTheDelayThenGoTogetherAndAStopReleasesTheRest() throws Exception {
        SharedIdempotentRepository r = new SharedIdempotentRepository(ds, "intake-files", "PT10M", 3_000);
        r.start();
        SharedIdempotentRepository other = repo("PT10M");
        // more than Camel's scheduler for delayed releases took (1,000 waiting)
        for (int i = 0; i < 1_500; i++) {
            assertTrue(r.add("/srv/inbox/sap/f-" + i + ".xml"));
        }
        assertTrue(other.add("/srv/inbox/sap/other.xml"));
        long start = System.nanoTime();
        for (int i = 0; i < 1_500; i++) {
            r.releaseLater("/srv/inbox/sap/f-" + i + ".xml");
        }
        // a lock this instance does not hold is not released by it
        r.releaseLater("/srv/inbox/sap/other.xml");
        assertEquals(1_500, r.releasesWaiting());
        assertEquals(1_501, rows(), "nothing released before the delay");
        assertFalse(other.add("/srv/inbox/sap/f-0.xml"), "held until the delay is over");
        TestGateway.await("the 1,500 locks released", 15_000, () -> {
            try {
                return rows() == 1;
            } catch (Exception e) {
                return false;
            }
        });
        assertTrue(System.nanoTime() - start >= 3_000_000_000L, "released after the delay, not before");
        assertEquals(0, r.releasesWaiting());
        assertTrue(other.add("/srv/inbox/sap/f-0.xml"), "released: another instance takes it");
        assertTrue(r.add("/srv/inbox/sap/f-1.xml"));
        assertTrue(r.add("/srv/inbox/sap/f-2.xml"));
        r.releaseLater("/srv/inbox/sap/f-1.xml");
        r.releaseLater("/srv/inbox/sap/f-2.xml");
        assertEquals(4, rows());
        r.stop();
        assertEquals(2, rows(), "a stop releases the waiting locks at once (other's two stay)");
        assertEquals(0, r.releasesWaiting());
    }

    private int rows() throws Exception {
        try (Connection c = ds.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED");
             java.sql.ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void age(String key, int minutes) throws Exception {
        try (Connection c = ds.getConnection();
             PreparedStatement st = c.prepareStatement("UPDATE CAMEL_MESSAGEPROCESSED SET createdAt = ? WHERE messageId = ?")) {
            st.setTimestamp(1, new Timestamp(System.currentTimeMillis() - minutes * 60_000L));
            st.setString(2, key);
            assertEquals(1, st.executeUpdate());
        }
    }
}
