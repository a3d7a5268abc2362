package io.zatcagateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Message;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gateway.egs-queue-prefix: the documents go to {@code <prefix><egs>}, and the embedded broker's settings for EGS
 * queues (exclusive, no broker dead-lettering, pause before redelivery) follow the prefix instead of a fixed name.
 */
class EgsQueuePrefixTest {
    @TempDir
    Path dir;

    @Test
    void theEgsQueuesAndTheirBrokerSettingsFollowThePrefix() throws Exception {
        try (TestGateway gw = new TestGateway(dir, Map.of("gateway.egs-queue-prefix", "acme.egs."))) {
            gw.drop("ubl", "prefixed.xml", ChainFixture.mixed("PFX-0001", 1, false));
            List<Message> queued = gw.drain("acme.egs.demo", 15_000);
            assertEquals(1, queued.size(), "the document is on acme.egs.demo");
            assertEquals("PFX-0001", queued.get(0).getStringProperty("ZgwDocumentNumber"));

            Object json = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("org.apache.activemq.artemis:broker=\"zatca-gateway-embedded\""), "getAddressSettingsAsJSON",
                    new Object[] {"acme.egs.demo"}, new String[] {String.class.getName()});
            JsonNode settings = ChainFixture.JSON.readTree(json.toString());
            assertTrue(settings.path("defaultExclusiveQueue").asBoolean(), "exclusive: " + settings);
            assertEquals(-1, settings.path("maxDeliveryAttempts").asInt(), "never moved to the broker's DLQ: " + settings);
        }
    }

    @Test
    void aPrefixTheBrokerCannotMatchIsRefusedAtStart() {
        Exception e = assertThrows(Exception.class, () -> new TestGateway(dir, Map.of("gateway.egs-queue-prefix", "acme-egs")).close());
        Throwable t = e;
        while (t.getCause() != null && !String.valueOf(t.getMessage()).contains("gateway.egs-queue-prefix")) {
            t = t.getCause();
        }
        assertTrue(String.valueOf(t.getMessage()).contains("gateway.egs-queue-prefix must be words ending with a dot"), String.valueOf(e));
    }
}
