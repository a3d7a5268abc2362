package io.zatcagateway.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zatcagateway.chain.ChainStore;
import io.zatcagateway.chain.ChainStore.State;
import io.zatcagateway.chain.ChainStore.Stored;
import io.zatcagateway.chain.Outbox;
import io.zatcagateway.chain.Submission;
import io.zatcagateway.chain.ZatcaCredentialsRejected;
import io.zatcagateway.chain.ZatcaFailure;
import io.zatcagateway.chain.ZatcaPermanentFailure;
import io.zatcagateway.chain.ZatcaUnavailable;
import io.zatcagateway.core.InvoiceSigner;
import io.zatcagateway.core.QrImage;
import io.zatcagateway.core.xml.SecureXml;
import io.zatcagateway.egs.EgsConfig;
import io.zatcagateway.egs.EgsSigners;
import io.zatcagateway.egs.EgsUnavailableException;
import io.zatcagateway.fatoora.FatooraClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel glue of the chain and submission flow (bean {@code chain}); the work is in {@link ChainStore},
 * {@link Submission} and {@link Outbox}. Headers it sets after signing: ZgwIcv, ZgwInvoiceHash, ZgwUuid, ZgwStandard,
 * ZgwDocumentKind, ZgwDocumentNumber, ZgwState ({@code done} when the document was already answered).
 */
public final class ChainBeans {
    private static final Logger LOG = LoggerFactory.getLogger(ChainBeans.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String RESULT = "ZgwSubmissionResult";
    /** The stored document the exchange carries from signing to its end (its bytes are not read back from the store). */
    static final String STORED = "ZgwStored";

    private final CamelContext camel;
    private final GatewayServices services;
    private volatile ChainStore store;
    private final Outbox outbox;
    private final Outbox rejected;
    private final Duration timeout;
    private final Duration deadlineWarning;
    private final Map<String, FatooraClient> clients = new ConcurrentHashMap<>();
    private final Set<String> paused = ConcurrentHashMap.newKeySet();
    /** Documents whose reporting-deadline alert was sent, shared by all instances on the database (made on first use). */
    private volatile SharedIdempotentRepository deadlineAlerts;
    private volatile EgsSigners signers;
    private ProducerTemplate events;

    private Duration writerTimeout = ChainStore.DEFAULT_WRITER_TIMEOUT;
    private String instance;

    /** This gateway instance's name in the chain's history, and the longest a signing transaction may stall. */
    ChainBeans instance(String name, Duration writerTimeout) {
        this.instance = name;
        this.writerTimeout = writerTimeout;
        return this;
    }

    ChainBeans(CamelContext camel, GatewayServices services, Outbox outbox, Outbox rejected, Duration timeout, Duration deadlineWarning) {
        this.camel = camel;
        this.services = services;
        this.outbox = outbox;
        this.rejected = rejected;
        this.timeout = timeout;
        this.deadlineWarning = deadlineWarning;
    }

    /** The chain store on the gateway's data source (bean gatewayDs), made on first use. */
    public ChainStore store() throws java.sql.SQLException {
        ChainStore s = store;
        if (s == null) {
            synchronized (this) {
                if (store == null) {
                    store = new ChainStore(camel.getRegistry().lookupByNameAndType("gatewayDs", javax.sql.DataSource.class),
                            writerTimeout, instance);
                }
                s = store;
            }
        }
        return s;
    }

    private EgsSigners signers() throws java.io.IOException {
        if (signers == null) {
            synchronized (this) {
                if (signers == null) {
                    signers = new EgsSigners(services.context().vault(), services.context().egs());
                }
            }
        }
        return signers;
    }

    private synchronized ProducerTemplate events() {
        if (events == null) {
            events = camel.createProducerTemplate();
        }
        return events;
    }

    // ------------------------------------------------------------------ chain

    /**
     * Takes the next ICV and PIH, signs and stores durably; or, for a document signed before (a redelivery after a
     * crash, a replay), takes the stored bytes: a document is never signed twice.
     */
    public void sign(Exchange ex) throws Exception {
        Message in = ex.getIn();
        String egs = in.getHeader("ZgwEgs", String.class);
        byte[] unsigned = in.getBody(byte[].class);
        String key = in.getHeader("ZgwDocumentKey", String.class);
        if (key == null) {
            var facts = io.zatcagateway.core.InvoiceFacts.read(SecureXml.parse(unsigned));
            key = facts.sellerVat() + ":" + facts.id();
            in.setHeader("ZgwDocumentKey", key);
        }
        Stored d = store().find(key).orElse(null);
        if (d != null && !d.egs().equals(egs)) {
            throw new ZatcaPermanentFailure(null, 0, "document " + key + " is already in the chain of EGS " + d.egs() + " (ICV " + d.icv()
                    + "); it arrived again for EGS " + egs);
        }
        if (d == null) {
            Instant now = Instant.now();
            InvoiceSigner signer;
            try {
                signer = signers().signerFor(egs, now);
            } catch (EgsUnavailableException e) {
                pause(egs, e.getMessage());
                throw e;
            }
            d = store().sign(egs, key, (icv, pih) -> signer.sign(unsigned, icv, pih, now));
            LOG.debug("EGS {}: {} signed with ICV {}", egs, key, d.icv());
        } else if (d.state().isFinal()) {
            LOG.info("EGS {}: {} (ICV {}) was already answered ({}); nothing to do", egs, key, d.icv(), d.state());
            in.setHeader("ZgwState", "done");
        } else {
            LOG.info("EGS {}: {} was signed before (ICV {}, {}); the stored bytes are submitted again", egs, key, d.icv(), d.state());
            if (d.state() == State.DEAD) {
                store().attempt(key, State.SIGNED, "replayed");
            }
        }
        in.setBody(d.signedXml());
        ex.setProperty(STORED, d);
        in.setHeader("ZgwIcv", d.icv());
        in.setHeader("ZgwInvoiceHash", d.invoiceHash());
        in.setHeader("ZgwUuid", d.uuid());
        in.setHeader("ZgwStandard", d.standard());
        in.setHeader("ZgwDocumentKind", d.kind());
        in.setHeader("ZgwDocumentNumber", d.number());
    }

    // ------------------------------------------------------------------ submission

    /** {@code POST /invoices/clearance/single}; header ZgwOutcome = CLEARED, REJECTED or REROUTE. */
    public void clear(Exchange ex) throws Exception {
        submit(ex, Submission.Endpoint.CLEARANCE);
    }

    /** {@code POST /invoices/reporting/single}; header ZgwOutcome = REPORTED or REJECTED. */
    public void report(Exchange ex) throws Exception {
        submit(ex, Submission.Endpoint.REPORTING);
    }

    private void submit(Exchange ex, Submission.Endpoint endpoint) throws Exception {
        Message in = ex.getIn();
        String egs = in.getHeader("ZgwEgs", String.class);
        String key = in.getHeader("ZgwDocumentKey", String.class);
        Submission.Result r;
        try {
            var credentials = signers().credentials(egs);
            r = Submission.submit(client(egs), credentials, endpoint, in.getHeader("ZgwInvoiceHash", String.class),
                    in.getHeader("ZgwUuid", String.class), in.getBody(byte[].class));
        } catch (ZatcaUnavailable e) {
            store().attempt(key, State.RETRYING, e.getMessage());
            LOG.warn("EGS {}: {} not taken: {}; the same bytes will be sent again", egs, key, e.getMessage());
            throw e;
        } catch (EgsUnavailableException e) {
            store().attempt(key, State.RETRYING, e.getMessage());
            pause(egs, e.getMessage());
            throw new ZatcaCredentialsRejected(endpoint, e.getMessage());
        } catch (ZatcaFailure e) {
            store().attempt(key, State.RETRYING, e.getMessage());
            if (e instanceof ZatcaCredentialsRejected) {
                pause(egs, e.getMessage());
            }
            throw e;
        }
        if (paused.remove(egs)) {
            LOG.info("EGS {}: credentials accepted again; resumed", egs);
            events().asyncSendBody("direct:publish-event", egsEvent("zatca.egs.resumed", egs, "credentials accepted again"));
        }
        if (r.outcome() == Submission.Outcome.REROUTE) {
            store().attempt(key, State.SIGNED, "clearance answered 303 (clearance switched off): re-routed to reporting");
        }
        ex.setProperty(RESULT, r);
        in.setHeader("ZgwOutcome", r.outcome().name());
        in.setHeader("ZgwZatcaStatus", r.status());
    }

    private void pause(String egs, String reason) {
        if (paused.add(egs)) {
            LOG.error("EGS {} paused: {}. Its documents wait (in order) and are retried until the credentials work again "
                    + "(renew or onboard the EGS); other EGS are not affected", egs, reason);
            // from another thread: a send on this one would join the consumer's JMS transaction, which stays open while
            // the document waits
            events().asyncSendBody("direct:publish-event", egsEvent("zatca.egs.paused", egs, reason));
        }
    }

    /** The EGS units paused on refused credentials. */
    public Set<String> paused() {
        return Set.copyOf(paused);
    }

    private FatooraClient client(String egs) {
        return clients.computeIfAbsent(egs, id -> {
            EgsConfig c = services.context().egs(id);
            return new FatooraClient(c.baseUrl(), timeout);
        });
    }

    /**
     * The end of a submission: the outbox (cleared XML as ZATCA returned it, or the signed XML for reporting, a QR PNG
     * and ZATCA's response) or the rejected folder, then the final state in the store (durably), then the event body.
     */
    public Map<String, Object> finish(Exchange ex) throws Exception {
        Message in = ex.getIn();
        Submission.Result r = ex.getProperty(RESULT, Submission.Result.class);
        String egs = in.getHeader("ZgwEgs", String.class);
        String key = in.getHeader("ZgwDocumentKey", String.class);
        Stored d = ex.getProperty(STORED, Stored.class);
        if (d == null || !d.documentKey().equals(key)) {
            d = store().find(key).orElseThrow();
        }
        byte[] response = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(r.body());
        Map<String, byte[]> files = new LinkedHashMap<>();
        State state;
        String status;
        if (r.outcome() == Submission.Outcome.REJECTED) {
            files.put("xml", d.signedXml());
            files.put("response.json", response);
            rejected.write(egs, d.issueTime(), d.number(), files);
            state = State.REJECTED;
            status = "rejected";
            LOG.warn("EGS {}: {} (ICV {}) rejected by ZATCA ({}): {}", egs, key, d.icv(), r.status(), r.errors());
        } else {
            byte[] xml = r.clearedXml() != null ? r.clearedXml() : d.signedXml();
            files.put("xml", xml);
            QrLookup qr = qrOf(xml);
            if (qr.payload() != null) {
                files.put("qr.png", QrImage.png(qr.payload(), 300));
            } else {
                LOG.warn("EGS {}: {} goes to the outbox without a QR picture: {}", egs, key, qr.missing());
            }
            files.put("response.json", response);
            outbox.write(egs, d.issueTime(), d.number(), files);
            state = r.outcome() == Submission.Outcome.CLEARED ? State.CLEARED : State.REPORTED;
            status = state == State.CLEARED ? "cleared" : "reported";
        }
        // kept once: the store's text and the event's tree (they were built twice and the text parsed back)
        JsonNode kept = r.responseToKeep();
        store().finish(key, state, r.status(), kept.toString(), "ZATCA answered " + r.status() + ": " + status
                + (r.warnings().isEmpty() ? "" : " with warnings " + r.warnings()));
        Map<String, Object> e = documentEvent(d, state == State.REJECTED ? "failed" : status, status);
        e.put("zatcaStatus", r.status());
        e.put("zatcaResponse", kept);
        if (state == State.REJECTED) {
            e.put("errors", r.errors());
            e.put("action", "ZATCA rejected the document; issue a corrected document under a new number (this one keeps ICV "
                    + d.icv() + " and the chain goes on)");
        }
        if (!r.warnings().isEmpty()) {
            e.put("warnings", r.warnings());
        }
        return e;
    }

    /** A document's QR payload for the outbox picture, or (payload null) why it has none. */
    record QrLookup(String payload, String missing) {
    }

    /** The QR payload of a cleared or signed document, streamed (no tree); never throws. */
    static QrLookup qrOf(byte[] xml) {
        try {
            String qr = io.zatcagateway.core.InvoiceFacts.qr(xml);
            if (qr != null && !qr.isEmpty()) {
                return new QrLookup(qr, null);
            }
            return new QrLookup(null, "it has no QR (cac:AdditionalDocumentReference QR)");
        } catch (Exception e) {
            return new QrLookup(null, "its QR cannot be read: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ dead letters

    /**
     * Before the dead-letter queue: state DEAD in the store with the reason, and the whole history as header
     * ZgwHistory. The body stays (signed bytes when the document was signed).
     */
    public void dead(Exchange ex) throws Exception {
        Message in = ex.getIn();
        Throwable cause = ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause == null ? "unknown" : cause.getMessage();
        String key = in.getHeader("ZgwDocumentKey", String.class);
        in.setHeader("ZgwDeadReason", reason);
        Stored d = ownUnfinished(ex);
        if (d != null) {
            store().finish(key, State.DEAD, null, null, "dead-lettered: " + reason);
            in.setHeader("ZgwHistory", store().find(key).orElseThrow().history());
        } else {
            in.setHeader("ZgwHistory", Instant.now() + " dead-lettered, not in this EGS's chain: " + reason + "\n");
        }
        LOG.error("EGS {}: {} dead-lettered, it needs a person: {}", in.getHeader("ZgwEgs"), key, reason);
    }

    /**
     * The stored document of the exchange when it belongs to this EGS's chain and is not answered yet; null otherwise
     * (never signed, or a copy of another EGS's document, whose state must not be touched).
     */
    private Stored ownUnfinished(Exchange ex) throws Exception {
        String key = ex.getIn().getHeader("ZgwDocumentKey", String.class);
        Stored d = key == null ? null : store().find(key).orElse(null);
        return d != null && d.egs().equals(ex.getIn().getHeader("ZgwEgs", String.class)) && !d.state().isFinal() ? d : null;
    }

    /** The {@code zatca.<kind>.failed} event of a dead-lettered document. */
    public Map<String, Object> deadEvent(Exchange ex) throws Exception {
        Message in = ex.getIn();
        Stored d = ownUnfinished(ex);
        Map<String, Object> e;
        if (d != null) {
            e = documentEvent(d, "failed", "dead-lettered");
        } else {
            e = egsEvent("zatca." + in.getHeader("ZgwDocumentKind", "document", String.class) + ".failed", in.getHeader("ZgwEgs", String.class),
                    "dead-lettered, not in this EGS's chain");
            e.put("documentNumber", in.getHeader("ZgwDocumentNumber"));
            e.put("status", "dead-lettered");
        }
        e.put("needsAttention", true);
        e.put("reason", in.getHeader("ZgwDeadReason"));
        e.put("history", in.getHeader("ZgwHistory"));
        e.put("action", "fix the cause, then replay: zatca-gateway replay " + in.getHeader("ZgwEgs")
                + (d == null ? "" : " --document " + d.number()));
        return e;
    }

    /** Replay requests: {@code <egs>} or {@code <egs>/<document number>}, one per line (file or JMS body). */
    public List<String> replaySelectors(Exchange ex) {
        List<String> selectors = new ArrayList<>();
        for (String line : ex.getIn().getBody(String.class).split("\\R")) {
            String l = line.trim();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int slash = l.indexOf('/');
            String egs = slash < 0 ? l : l.substring(0, slash);
            if (!egs.equals("*") && !services.context().egs().containsKey(egs)) {
                throw new IllegalArgumentException("replay request names unknown EGS '" + egs + "'; configured: " + services.context().egs().keySet());
            }
            String sel = egs.equals("*") ? "ZgwEgs IS NOT NULL" : "ZgwEgs = '" + egs.replace("'", "''") + "'";
            if (slash > 0) {
                sel += " AND ZgwDocumentNumber = '" + l.substring(slash + 1).replace("'", "''") + "'";
            }
            selectors.add(sel);
        }
        return selectors;
    }

    /**
     * Moves dead-lettered messages matching the JMS selectors back to their EGS queues, one transaction per message
     * (never lost, never doubled); their stored bytes are submitted again, never re-signed. Returns the event body.
     */
    public Map<String, Object> replay(Exchange ex) throws Exception {
        List<String> selectors = replaySelectors(ex);
        String dlq = camel.resolvePropertyPlaceholders("{{gateway.dead-letter-queue}}");
        String prefix = camel.resolvePropertyPlaceholders("{{gateway.egs-queue-prefix}}");
        jakarta.jms.ConnectionFactory cf = camel.getRegistry().lookupByNameAndType("jmsPool", jakarta.jms.ConnectionFactory.class);
        List<String> moved = new ArrayList<>();
        try (jakarta.jms.Connection c = cf.createConnection()) {
            c.start();
            try (jakarta.jms.Session s = c.createSession(true, jakarta.jms.Session.SESSION_TRANSACTED)) {
                for (String selector : selectors) {
                    try (jakarta.jms.MessageConsumer consumer = s.createConsumer(s.createQueue(dlq), selector)) {
                        jakarta.jms.Message m;
                        while ((m = consumer.receive(500)) != null) {
                            String egs = m.getStringProperty("ZgwEgs");
                            try (jakarta.jms.MessageProducer p = s.createProducer(s.createQueue(prefix + egs))) {
                                p.send(m);
                            }
                            s.commit();
                            moved.add(egs + "/" + m.getStringProperty("ZgwDocumentNumber"));
                        }
                    }
                }
            }
        }
        LOG.info("replay {}: {} document(s) back on their EGS queues: {}", selectors, moved.size(), moved);
        Map<String, Object> e = egsEvent("zatca.replay.done", null, "replay of " + selectors);
        e.put("documents", moved);
        return e;
    }

    // ------------------------------------------------------------------ watch

    /**
     * Simplified documents not yet reported whose 24-hour deadline is near, as events: once per document for the whole
     * deployment, whichever instance's watch sees it first (a row in the gateway database, kept across restarts).
     */
    public List<Map<String, Object>> deadlineAlerts() throws Exception {
        SharedIdempotentRepository sent = deadlineAlertsSent();
        List<Map<String, Object>> out = new ArrayList<>();
        Instant now = Instant.now();
        for (State s : List.of(State.SIGNED, State.RETRYING, State.DEAD)) {
            for (Stored d : store().inState(null, s, 10_000)) {
                if (d.standard() || d.issueTime() == null) {
                    continue;
                }
                Instant issued;
                try {
                    issued = Instant.parse(d.issueTime());
                } catch (RuntimeException e) {
                    continue;
                }
                Instant deadline = issued.plus(Duration.ofHours(24));
                if (now.isAfter(deadline.minus(deadlineWarning)) && sent.add(d.documentKey())) {
                    Map<String, Object> e = documentEvent(d, "reporting_deadline", s.name().toLowerCase());
                    e.put("deadline", deadline.toString());
                    e.put("needsAttention", true);
                    e.put("action", now.isAfter(deadline) ? "the 24-hour reporting deadline has passed: notify ZATCA through its form"
                            : "report before " + deadline + " or notify ZATCA");
                    out.add(e);
                }
            }
        }
        return out;
    }

    private SharedIdempotentRepository deadlineAlertsSent() {
        SharedIdempotentRepository r = deadlineAlerts;
        if (r == null) {
            synchronized (this) {
                if (deadlineAlerts == null) {
                    r = new SharedIdempotentRepository(camel.getRegistry().lookupByNameAndType("gatewayDs", javax.sql.DataSource.class),
                            "reporting-deadline-alert");
                    r.start();
                    deadlineAlerts = r;
                }
                r = deadlineAlerts;
            }
        }
        return r;
    }

    // ------------------------------------------------------------------ events

    private Map<String, Object> documentEvent(Stored d, String typeSuffix, String status) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", UUID.randomUUID().toString());
        e.put("type", "zatca." + d.kind() + "." + typeSuffix);
        e.put("timestamp", Instant.now().toString());
        e.put("egs", d.egs());
        e.put("documentId", d.uuid());
        e.put("documentNumber", d.number());
        e.put("issueTime", d.issueTime());
        e.put("supplyDate", d.supplyDate());
        e.put("icv", d.icv());
        e.put("invoiceHash", d.invoiceHash());
        e.put("status", status);
        e.put("zatcaResponse", parse(d.response()));
        return e;
    }

    private static JsonNode parse(String json) {
        try {
            return json == null ? null : JSON.readTree(json.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            return null;
        }
    }

    private static Map<String, Object> egsEvent(String type, String egs, String reason) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", UUID.randomUUID().toString());
        e.put("type", type);
        e.put("timestamp", Instant.now().toString());
        e.put("egs", egs);
        e.put("reason", reason);
        return e;
    }
}
