package io.zatcagateway.app;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded, persistent Artemis broker of the default profile: journal under {@code gateway.broker.data-dir},
 * an in-VM acceptor ({@code vm://0}) and optionally a TCP acceptor for other processes. A Camel service, so it starts
 * before the JMS consumers and stops after the routes. The external profile switches it off and sets
 * {@code gateway.broker.url} to the external broker.
 */
public final class EmbeddedBroker extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final String dataDir;
    private final String tcpAcceptor;
    /** The EGS queues are {@code <prefix><egs-id>}; their address settings match {@code <prefix>#}. */
    private final String egsQueuePrefix;
    private EmbeddedActiveMQ broker;

    public EmbeddedBroker(String dataDir, String tcpAcceptor, String egsQueuePrefix) {
        this.dataDir = dataDir;
        this.egsQueuePrefix = egsQueuePrefix;
        this.tcpAcceptor = tcpAcceptor == null || tcpAcceptor.isBlank() ? null : tcpAcceptor.trim();
    }

    @Override
    protected void doStart() throws Exception {
        ConfigurationImpl c = new ConfigurationImpl();
        c.setName("zatca-gateway-embedded");
        c.setPersistenceEnabled(true);
        c.setSecurityEnabled(false);
        // the broker's MBeans, for Hawtio and monitoring
        c.setJMXManagementEnabled(true);
        c.setJournalType(JournalType.NIO);
        // the NIO default (3.33 ms) caps a synchronous producer near 300 msg/s on these machines
        c.setJournalBufferTimeout_NIO(500_000);
        c.setJournalDirectory(dataDir + "/journal");
        c.setBindingsDirectory(dataDir + "/bindings");
        c.setPagingDirectory(dataDir + "/paging");
        c.setLargeMessagesDirectory(dataDir + "/large-messages");
        c.addAcceptorConfiguration("in-vm", "vm://0");
        if (tcpAcceptor != null) {
            c.addAcceptorConfiguration("tcp", tcpAcceptor);
        }
        c.addAddressSetting("#", new AddressSettings().setDeadLetterAddress(SimpleString.of("DLQ"))
                .setExpiryAddress(SimpleString.of("ExpiryQueue")).setAutoCreateQueues(true).setAutoCreateAddresses(true));
        // EGS queues: one consumer at a time even with several connections (exclusive), never moved to the broker's DLQ
        // (the gateway's own dead-letter channel decides), and a pause before a rolled-back message comes again
        c.addAddressSetting(egsQueuePrefix + "#", new AddressSettings().setDefaultExclusiveQueue(true).setMaxDeliveryAttempts(-1)
                .setRedeliveryDelay(1000).setRedeliveryMultiplier(2).setMaxRedeliveryDelay(30_000)
                .setAutoCreateQueues(true).setAutoCreateAddresses(true));
        broker = new EmbeddedActiveMQ();
        broker.setConfiguration(c);
        broker.start();
        LOG.info("embedded Artemis broker started (data {}, acceptors vm://0{})", dataDir, tcpAcceptor == null ? "" : " and " + tcpAcceptor);
    }

    @Override
    protected void doStop() throws Exception {
        if (broker != null) {
            broker.stop();
            broker = null;
        }
    }
}
