package io.zatcagateway.cli;

import io.zatcagateway.app.BrokerQueues;
import io.zatcagateway.app.GatewayContext;
import io.zatcagateway.chain.ChainStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code status}: per EGS, last ICV, queued, in redelivery, dead-lettered, rejected, oldest unreported simplified. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Per EGS: last ICV, documents queued, signed and waiting for an answer, in redelivery, dead-lettered, "
                + "rejected, and the oldest unreported simplified document. Reads the chain store (also while the gateway runs) "
                + "and the broker when it is reachable (an external broker, or the embedded one with a TCP acceptor).")
public final class StatusCommand implements Callable<Integer> {
    @Option(names = "--config", description = "configuration file (default config/application.properties)")
    Path config;

    @Option(names = "--broker", description = "broker URL for queue depths (default gateway.broker.url unless it is vm://)")
    String broker;

    @Override
    public Integer call() throws Exception {
        Properties p = Config.load(config);
        GatewayContext g = new GatewayContext(p, null);
        Map<String, ChainStore.EgsStatus> status;
        try (var ds = Database.open(p)) {
            status = new ChainStore(ds).status();
        }
        String url = broker != null ? broker : p.getProperty("gateway.broker.url", "vm://0").trim();
        Map<String, Long> depths = null;
        String prefix = p.getProperty("gateway.egs-queue-prefix", "zatca.egs.").trim();
        if (!url.startsWith("vm:")) {
            List<String> queues = new ArrayList<>();
            g.egs().keySet().forEach(e -> queues.add(prefix + e));
            try {
                BrokerQueues.Access access = BrokerQueues.Access.of(p);
                depths = BrokerQueues.depths(new BrokerQueues.Access(url, access.user(), access.password()), queues);
            } catch (Exception e) {
                System.out.println("(broker " + url + " not reachable: " + e.getMessage() + "; queue depths left out)");
            }
        }
        System.out.printf("%-20s %8s %7s %8s %11s %5s %8s  %s%n", "EGS", "last ICV", "queued", "awaiting", "redelivery", "dead",
                "rejected", "oldest unreported simplified");
        Instant now = Instant.now();
        for (String egs : g.egs().keySet()) {
            ChainStore.EgsStatus s = status.getOrDefault(egs, new ChainStore.EgsStatus(egs, 0, 0, 0, 0, 0, null));
            Long q = depths == null ? null : depths.get(prefix + egs);
            String oldest = s.oldestUnreportedSimplified() == null ? "-"
                    : s.oldestUnreportedSimplified() + " (" + Duration.between(s.oldestUnreportedSimplified(), now).toMinutes() + " min ago)";
            System.out.printf("%-20s %8d %7s %8d %11d %5d %8d  %s%n", egs, s.lastIcv(), q == null ? "n/a" : String.valueOf(Math.max(q, 0)),
                    s.signedUnanswered(), s.retrying(), s.deadLettered(), s.rejected(), oldest);
        }
        if (depths == null && url.startsWith("vm:")) {
            System.out.println("(queued: the embedded broker is in the gateway's JVM; see zgw_egs_queued on /observe/metrics, or pass --broker)");
        }
        return 0;
    }
}
