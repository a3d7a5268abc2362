package io.zatcagateway.app;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;

/** Message counts of queues on the broker (embedded vm:// or external tcp://), through Artemis's core client. */
public final class BrokerQueues {
    private BrokerQueues() {
    }

    /** Queue name → messages on it (-1 when the queue does not exist yet). */
    public static Map<String, Long> depths(String brokerUrl, List<String> queues) throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        try (ServerLocator locator = ActiveMQClient.createServerLocator(brokerUrl);
             ClientSessionFactory f = locator.createSessionFactory();
             ClientSession s = f.createSession()) {
            for (String q : queues) {
                ClientSession.QueueQuery r = s.queueQuery(SimpleString.of(q));
                out.put(q, r.isExists() ? r.getMessageCount() : -1L);
            }
        }
        return out;
    }
}
