package io.zatcagateway.app;

import io.zatcagateway.bench.IntakeBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * End-to-end throughput of the external profile with 1 and then 2 gateway instances: a standalone Artemis broker
 * process, PostgreSQL, the simulator (fast mode, in this JVM), SAP IDoc exports (10 items, 4 EGS) dropped into the
 * shared inbox, counted when their final state is committed in the chain store (outbox written, fsync'd). Each
 * instance count gets a fresh cluster, a warm-up of half the documents, then the measured rounds.
 *
 * <pre>mvn -B test-compile exec:exec@scale-bench [-Dscale.docs=2000] [-Dscale.rounds=1] [-Dscale.instances=1,2]</pre>
 */
public final class ScaleOutBench {
    private ScaleOutBench() {
    }

    public static void main(String[] args) throws Exception {
        int docs = Integer.getInteger("scale.docs", 2000);
        int rounds = Integer.getInteger("scale.rounds", 1);
        String template = Files.readString(Path.of("examples/sap/INVOIC02-standard-invoice.xml"));
        List<String> results = new ArrayList<>();
        for (String count : System.getProperty("scale.instances", "1,2").split(",")) {
            int instances = Integer.parseInt(count.trim());
            Path dir = Files.createTempDirectory("zgw-scale-bench");
            Map<String, String> settings = IntakeBench.settings(dir, Map.of("gateway.outbox.fsync", "true"));
            try (ScaleOutCluster cluster = ScaleOutCluster.start(dir, settings)) {
                if (cluster == null) {
                    System.out.println("scale-out bench not run: " + io.zatcagateway.testsupport.LocalPostgres.whyNot);
                    return;
                }
                for (int n = 1; n <= instances; n++) {
                    cluster.startGateway(n);
                }
                Path staging = Files.createDirectories(dir.resolve("staging"));
                Path inbox = dir.resolve("inbox/sap");
                int answered = 0;
                for (int round = 0; round <= rounds; round++) {
                    int n = round == 0 ? docs / 2 : docs;
                    List<Path> files = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        Path f = staging.resolve("s" + round + "-" + i + ".xml");
                        Files.writeString(f, IntakeBench.idoc(template, "S" + round + "-" + i, "110" + (1 + i % 4)));
                        Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() - 5_000));
                        files.add(f);
                    }
                    int target = answered + n;
                    long t0 = System.nanoTime();
                    for (Path f : files) {
                        Files.move(f, inbox.resolve(f.getFileName()));
                    }
                    while (ChainRoutesTest.done(cluster.store) < target) {
                        Thread.sleep(50);
                        if (System.nanoTime() - t0 > 900_000_000_000L) {
                            throw new IllegalStateException("not done after 15 minutes; see " + dir);
                        }
                    }
                    answered = target;
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    String line = String.format("%d instance(s), %s: %d documents (4 EGS) file drop -> outbox in %.2f s: %.0f documents/s",
                            instances, round == 0 ? "warm-up" : "round " + round, n, seconds, n / seconds);
                    System.out.println(line);
                    if (round > 0) {
                        results.add(line);
                    }
                }
            }
        }
        System.out.println("---- external profile (standalone Artemis + PostgreSQL), this machine: "
                + Runtime.getRuntime().availableProcessors() + " cores");
        results.forEach(System.out::println);
    }
}
