package io.zatcagateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zatcagateway.app.TestGateway;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * End-to-end throughput and latency, file drop to outbox, through the real routes: SAP IDoc exports (10 items, 4 EGS
 * units) dropped into the inbox, transformed, pre-flighted, queued per EGS, chained and signed with a durable commit
 * (H2 + CHECKPOINT SYNC, group commit), cleared at the embedded simulator over HTTP (fast validation), written to the
 * outbox (fsync'd) with QR PNG and response, and announced by an event. Counts the cleared events; latency per
 * document is event arrival minus the moment its file was moved into the inbox.
 *
 * <pre>mvn -B test-compile exec:exec@e2e-bench [-De2e.docs=4000] [-De2e.rounds=2] [-De2e.warmup=2000]</pre>
 */
public final class EndToEndBench {
    private EndToEndBench() {
    }

    public static void main(String[] args) throws Exception {
        int docs = Integer.getInteger("e2e.docs", 4000);
        int rounds = Integer.getInteger("e2e.rounds", 2);
        // the JIT compiler keeps one of the two cores busy for minutes after start: a longer warm-up shows the steady state
        int warmup = Integer.getInteger("e2e.warmup", docs / 2);
        Path dir = Files.createTempDirectory("e2e-bench");
        String template = Files.readString(Path.of("examples/sap/INVOIC02-standard-invoice.xml"));
        Map<String, String> settings = IntakeBench.settings(dir, Map.of("gateway.chain.enabled", "true", "simulator.demo-otp", "123456"));
        ObjectMapper json = new ObjectMapper();
        try (TestGateway gw = new TestGateway(dir.resolve("gw"), settings)) {
            Map<String, Long> dropped = new ConcurrentHashMap<>();
            Map<String, Long> latency = new ConcurrentHashMap<>();
            AtomicInteger done = new AtomicInteger();
            Session s = gw.session();
            MessageConsumer events = s.createConsumer(s.createTopic("gateway.events"));
            events.setMessageListener(m -> {
                try {
                    JsonNode e = json.readTree(((TextMessage) m).getText());
                    String type = e.path("type").asText();
                    if (type.endsWith(".cleared") || type.endsWith(".reported") || type.endsWith(".failed")) {
                        Long t = dropped.get(e.path("documentNumber").asText());
                        if (t != null) {
                            latency.put(e.path("documentNumber").asText(), System.nanoTime() - t);
                        }
                        done.incrementAndGet();
                    }
                } catch (Exception x) {
                    throw new IllegalStateException(x);
                }
            });
            Path staging = Files.createDirectories(dir.resolve("staging"));
            Path inbox = dir.resolve("gw/inbox/sap");
            for (int round = 0; round <= rounds; round++) {
                int n = round == 0 ? warmup : docs;
                List<Path> files = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    Path f = staging.resolve("e2e-" + round + "-" + i + ".xml");
                    Files.writeString(f, IntakeBench.idoc(template, "E" + round + "-" + i, "110" + (1 + i % 4)));
                    Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() - 5_000));
                    files.add(f);
                }
                latency.clear();
                int before = done.get();
                CpuMeter cpu = new CpuMeter();
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    dropped.put("E" + round + "-" + i, System.nanoTime());
                    Files.move(files.get(i), inbox.resolve(files.get(i).getFileName()));
                }
                while (done.get() - before < n) {
                    Thread.sleep(5);
                    if (System.nanoTime() - t0 > 900_000_000_000L) {
                        throw new IllegalStateException("only " + (done.get() - before) + " of " + n + " done after 15 minutes; see " + dir);
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                long[] l = latency.values().stream().mapToLong(Long::longValue).toArray();
                Arrays.sort(l);
                System.out.printf("%s: %d documents (4 EGS) file drop -> outbox in %.2f s: %.0f documents/s; latency ms p50 %.0f, p90 %.0f, p99 %.0f, max %.0f; %s%n",
                        round == 0 ? "warm-up" : "round " + round, n, seconds, n / seconds, pct(l, 50), pct(l, 90), pct(l, 99), l.length == 0 ? 0 : l[l.length - 1] / 1e6,
                        cpu.perDocument(n));
            }
            events.close();
            s.close();
            Path h2 = dir.resolve("gw/h2/gateway.mv.db");
            if (Files.exists(h2)) {
                int total = warmup + rounds * docs;
                System.out.printf("H2 database file: %.1f MB for %d documents (%.1f KB per document)%n", Files.size(h2) / 1e6, total,
                        Files.size(h2) / 1024.0 / total);
            }
            System.out.println("outbox files: " + gw.files("outbox").size() + ", error folder: " + gw.files("error").size()
                    + ", rejected: " + gw.files("rejected").size());
        }
        IntakeBench.removeUnlessKept(dir);
    }

    static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }
}
