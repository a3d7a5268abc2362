package io.zatcagateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zatcagateway.core.InvoiceFacts;
import io.zatcagateway.core.xml.SecureXml;
import jakarta.jms.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst of inbox files larger than the intake threads and their backlog together: one thread and a backlog of one,
 * so most files of the poll do not fit, and the poller waits for room (IntakeThreads) instead of running them itself
 * or refusing them. Every document arrives once, in an intake thread; every file is archived, none is left, refused
 * or retried.
 */
class IntakeBacklogTest {
    @TempDir
    Path dir;

    @Test
    void aBurstBeyondTheThreadsAndTheirBacklogIsTakenInWhole() throws Exception {
        String ubl = Files.readString(Path.of("examples/ubl/UBL-standard-invoice.xml"));
        int files = 12;
        List<String> numbers = new ArrayList<>();
        try (TestGateway gw = new TestGateway(dir, Map.of("gateway.intake.threads", "1", "gateway.intake.backlog", "1"))) {
            List<String> redelivered = Collections.synchronizedList(new ArrayList<>());
            // the thread each file is sent to direct:intake from: an intake thread, or the poller had it run itself
            List<String> sentFrom = Collections.synchronizedList(new ArrayList<>());
            EventNotifierSupport redeliveries = new EventNotifierSupport() {
                @Override
                public void notify(CamelEvent event) {
                    if (event instanceof CamelEvent.ExchangeRedeliveryEvent r) {
                        redelivered.add(String.valueOf(r.getExchange().getIn().getHeader("ZgwSource")));
                    } else if (event instanceof CamelEvent.ExchangeSendingEvent s && "direct://intake".equals(s.getEndpoint().getEndpointUri())
                            && "file".equals(s.getExchange().getIn().getHeader("ZgwChannel"))) {
                        sentFrom.add(Thread.currentThread().getName());
                    }
                }

                @Override
                public boolean isEnabled(CamelEvent event) {
                    return event instanceof CamelEvent.ExchangeRedeliveryEvent || event instanceof CamelEvent.ExchangeSendingEvent;
                }
            };
            gw.context().getManagementStrategy().addEventNotifier(redeliveries);
            redeliveries.start();
            // written aside, then moved in together, so that one poll finds them all
            Path staging = Files.createDirectories(dir.resolve("staging"));
            for (int i = 1; i <= files; i++) {
                String number = String.format("BURST-%02d", i);
                numbers.add(number);
                Files.writeString(staging.resolve(number + ".xml"), ubl.replace("UBL-2026-0001", number), StandardCharsets.UTF_8);
            }
            Path inbox = Files.createDirectories(dir.resolve("inbox/ubl"));
            for (String number : numbers) {
                Files.move(staging.resolve(number + ".xml"), inbox.resolve(number + ".xml"));
            }
            List<String> queued = new ArrayList<>();
            for (Message m : gw.drain("zatca.egs.demo", 30_000)) {
                queued.add(InvoiceFacts.read(SecureXml.parse(TestGateway.body(m))).id());
            }
            Collections.sort(queued);
            assertEquals(numbers, queued, "each document of the burst once on its EGS queue");
            TestGateway.await("every file of the burst archived", 15_000, () -> {
                try {
                    return gw.files("archive").size() == files;
                } catch (Exception e) {
                    return false;
                }
            });
            assertTrue(gw.files("inbox").isEmpty(), gw.files("inbox").toString());
            assertTrue(gw.files("error").isEmpty(), gw.files("error").toString());
            assertTrue(gw.files("duplicates").isEmpty(), gw.files("duplicates").toString());
            // the overflow waited for room: no file was refused by the pool and came again by redelivery, and none ran on
            // the poller
            assertEquals(List.of(), redelivered, "inputs redelivered");
            assertEquals(files, sentFrom.size(), "files handed to direct:intake: " + sentFrom);
            assertTrue(sentFrom.stream().allMatch(t -> t.endsWith(" - intake")), "every file ran in an intake thread: " + sentFrom);
        }
    }
}
