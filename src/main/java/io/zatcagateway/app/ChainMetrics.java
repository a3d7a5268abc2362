package io.zatcagateway.app;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.zatcagateway.chain.ChainStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status view as Prometheus gauges on /observe/metrics, per EGS: zgw_egs_last_icv, zgw_egs_queued,
 * zgw_egs_awaiting_answer, zgw_egs_in_redelivery, zgw_egs_dead_lettered, zgw_egs_rejected, zgw_egs_paused and
 * zgw_egs_oldest_unreported_simplified_seconds. Read from the chain store and the broker at most every 2 seconds.
 */
final class ChainMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(ChainMetrics.class);

    private final ChainBeans chain;
    private final BrokerQueues.Access broker;
    private final String prefix;
    private final List<String> egs;
    private volatile long readAt;
    private volatile Map<String, ChainStore.EgsStatus> status = Map.of();
    private volatile Map<String, Long> depths = Map.of();

    ChainMetrics(ChainBeans chain, BrokerQueues.Access broker, String prefix, List<String> egs) {
        this.chain = chain;
        this.broker = broker;
        this.prefix = prefix;
        this.egs = egs;
    }

    void register(MeterRegistry registry) {
        for (String id : egs) {
            gauge(registry, "zgw_egs_last_icv", "last ICV signed", id, s -> s.lastIcv());
            gauge(registry, "zgw_egs_awaiting_answer", "signed, not yet answered by ZATCA", id, s -> s.signedUnanswered());
            gauge(registry, "zgw_egs_in_redelivery", "waiting for another try after a transient failure or refused credentials", id, s -> s.retrying());
            gauge(registry, "zgw_egs_dead_lettered", "on the dead-letter queue, waiting for a person", id, s -> s.deadLettered());
            gauge(registry, "zgw_egs_rejected", "rejected by ZATCA (400)", id, s -> s.rejected());
            gauge(registry, "zgw_egs_oldest_unreported_simplified_seconds", "age of the oldest simplified document not yet reported", id,
                    s -> s.oldestUnreportedSimplified() == null ? 0 : (Instant.now().toEpochMilli() - s.oldestUnreportedSimplified().toEpochMilli()) / 1000.0);
            Gauge.builder("zgw_egs_queued", this, m -> {
                        m.refresh();
                        return m.depths.getOrDefault(prefix + id, 0L);
                    }).description("documents on the EGS queue, not yet chained").tag("egs", id).register(registry);
            Gauge.builder("zgw_egs_paused", this, m -> m.chain.paused().contains(id) ? 1 : 0)
                    .description("1 while the EGS is paused on refused credentials").tag("egs", id).register(registry);
        }
    }

    private void gauge(MeterRegistry registry, String name, String help, String id, ToDoubleFunction<ChainStore.EgsStatus> f) {
        Gauge.builder(name, this, m -> {
            m.refresh();
            ChainStore.EgsStatus s = m.status.get(id);
            return s == null ? 0 : f.applyAsDouble(s);
        }).description(help).tag("egs", id).register(registry);
    }

    private synchronized void refresh() {
        if (System.currentTimeMillis() - readAt < 2000) {
            return;
        }
        readAt = System.currentTimeMillis();
        try {
            status = chain.store().status();
            List<String> queues = new ArrayList<>();
            egs.forEach(e -> queues.add(prefix + e));
            depths = BrokerQueues.depths(broker, queues);
        } catch (Exception e) {
            LOG.warn("status metrics not refreshed: {}", e.toString());
        }
    }
}
