package io.zatcagateway.app;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The gateway's access to its broker, the embedded one ({@code vm://0}) or an external one ({@code tcp://...}), with
 * the same code: the JMS connection factory of the routes, queue depths for status and metrics, and the check that
 * every EGS queue is exclusive. Credentials: {@code gateway.broker.user} and {@code gateway.broker.password}
 * (normally {@code {{env:ZGW_BROKER_PASSWORD}}}); empty means anonymous. The password is never logged.
 */
public final class BrokerQueues {
    private BrokerQueues() {
    }

    /** Where the broker is and who the gateway is there. */
    public record Access(String url, String user, String password) {
        public static Access of(Properties p) {
            return new Access(p.getProperty("gateway.broker.url", "vm://0").trim(),
                    blankToNull(GatewayContext.resolveEnv(p.getProperty("gateway.broker.user", "").trim())),
                    blankToNull(GatewayContext.resolveEnv(p.getProperty("gateway.broker.password", "").trim())));
        }

        @Override
        public String toString() {
            return url + (user == null ? "" : " as " + user);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /**
     * The JMS connection factory of the routes (bean {@code artemisCf} in config/application.properties): made here so
     * that an empty user or password means "none" rather than an empty string the broker would refuse.
     */
    public static ActiveMQConnectionFactory connectionFactory(String url, String user, String password) {
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(url.trim());
        user = blankToNull(GatewayContext.resolveEnv(user == null ? "" : user.trim()));
        password = blankToNull(GatewayContext.resolveEnv(password == null ? "" : password.trim()));
        if (user != null) {
            cf.setUser(user);
            cf.setPassword(password);
        }
        // no broker round trip per send to look the queue up
        cf.setCacheDestinations(true);
        return cf;
    }

    private static ClientSession session(ClientSessionFactory f, Access a) throws Exception {
        return a.user() == null ? f.createSession() : f.createSession(a.user(), a.password(), false, true, true, false, 0);
    }

    /** Queue name → messages on it (-1 when the queue does not exist yet). */
    public static Map<String, Long> depths(Access broker, List<String> queues) throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        try (ServerLocator locator = ActiveMQClient.createServerLocator(broker.url());
             ClientSessionFactory f = locator.createSessionFactory();
             ClientSession s = session(f, broker)) {
            for (String q : queues) {
                ClientSession.QueueQuery r = s.queueQuery(SimpleString.of(q));
                out.put(q, r.isExists() ? r.getMessageCount() : -1L);
            }
        }
        return out;
    }

    /**
     * Makes sure each EGS queue lets one consumer at a time take messages, whichever gateway instance it belongs to:
     * a missing queue is created exclusive (anycast, durable); an existing queue that is not exclusive stops the
     * gateway with what to change, since two instances would otherwise chain one EGS at once.
     */
    public static void ensureExclusive(Access broker, List<String> queues) throws Exception {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(broker.url());
             ClientSessionFactory f = locator.createSessionFactory();
             ClientSession s = session(f, broker)) {
            for (String q : queues) {
                ClientSession.QueueQuery r = s.queueQuery(SimpleString.of(q));
                if (!r.isExists()) {
                    try {
                        s.createQueue(QueueConfiguration.of(q).setAddress(q).setRoutingType(RoutingType.ANYCAST).setDurable(true)
                                .setExclusive(true).setAutoCreated(false));
                    } catch (org.apache.activemq.artemis.api.core.ActiveMQQueueExistsException raced) {
                        // another instance created it at the same moment: checked below
                    }
                    r = s.queueQuery(SimpleString.of(q));
                }
                if (!Boolean.TRUE.equals(r.isExclusive())) {
                    throw new IllegalStateException("queue " + q + " on broker " + broker.url() + " is not exclusive: several consumers "
                            + "(gateway instances) could take documents of one EGS at once. Make it exclusive (broker.xml address-setting "
                            + "matching the EGS queues, zatca.egs.# by default: <default-exclusive-queue>true</default-exclusive-queue>, see config/artemis/"
                            + "zatca-address-settings.xml), or delete the queue while no gateway runs so the gateway creates it exclusive");
                }
            }
        }
    }
}
