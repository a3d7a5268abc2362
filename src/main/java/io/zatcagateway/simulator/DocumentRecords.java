package io.zatcagateway.simulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What the simulated ZATCA "has": every accepted document by EGS, ICV, hash and UUID; duplicate detection by hash. */
public final class DocumentRecords {
    /** One accepted document. {@code status} is REPORTED or CLEARED; {@code warnings} is true for a 202. */
    public record Accepted(String egs, long icv, String invoiceHash, String pih, String uuid, String id, String status,
                           boolean warnings, String receivedAt) {
    }

    private final Map<String, Accepted> byHash = new ConcurrentHashMap<>();
    private final Map<String, Accepted> lastByEgs = new ConcurrentHashMap<>();

    public Accepted byHash(String hash) {
        return byHash.get(hash);
    }

    public Accepted last(String egs) {
        return lastByEgs.get(egs);
    }

    /** Records the document unless its hash is already known; returns the earlier record for a duplicate. */
    Accepted record(Accepted a) {
        Accepted before = byHash.putIfAbsent(a.invoiceHash(), a);
        if (before != null) {
            return before;
        }
        lastByEgs.merge(a.egs(), a, (old, neu) -> neu.icv() >= old.icv() ? neu : old);
        return null;
    }

    public List<Accepted> list(String egs) {
        List<Accepted> out = new ArrayList<>();
        for (Accepted a : byHash.values()) {
            if (egs == null || egs.equals(a.egs())) {
                out.add(a);
            }
        }
        out.sort(Comparator.comparing(Accepted::egs).thenComparingLong(Accepted::icv).thenComparing(Accepted::receivedAt));
        return out;
    }

    public int size() {
        return byHash.size();
    }
}
