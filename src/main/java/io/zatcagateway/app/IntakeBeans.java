package io.zatcagateway.app;

import io.zatcagateway.core.InvoiceFacts;
import io.zatcagateway.core.validation.Finding;
import io.zatcagateway.core.xml.XmlRejectedException;
import io.zatcagateway.intake.ErrorFolder;
import io.zatcagateway.intake.Intake;
import io.zatcagateway.intake.IntakeRejected;
import io.zatcagateway.intake.Stylesheets;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.sf.saxon.om.NodeInfo;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.w3c.dom.Document;

/**
 * The Camel side of intake, bound as bean {@code intake} for {@code routes/intake.camel.yaml}: it moves bodies and
 * headers in and out of {@link Intake} and {@link ErrorFolder}, and builds the event bodies. Headers it sets:
 * {@code ZgwFormat}, {@code ZgwPart}, {@code ZgwStylesheet}, {@code ZgwUuid}, {@code ZgwEgs}, {@code ZgwDocumentKey},
 * {@code ZgwDocumentNumber}, {@code ZgwDocumentKind}, {@code JMSXGroupID}.
 */
public final class IntakeBeans {
    private static final Logger LOG = LoggerFactory.getLogger(IntakeBeans.class);
    static final String ORIGINAL = "ZgwOriginal";
    static final String FACTS = "ZgwFacts";

    private final Intake intake;
    private final ErrorFolder errors;
    private final ErrorFolder duplicates;

    public IntakeBeans(Intake intake, ErrorFolder errors, ErrorFolder duplicates) {
        this.intake = intake;
        this.errors = errors;
        this.duplicates = duplicates;
    }

    /** Checks the input and replaces the body with its documents ({@link Intake.Part}s). */
    public void open(Exchange ex) throws Exception {
        Message in = ex.getIn();
        String source = in.getHeader("ZgwSource", String.class);
        if (source == null) {
            source = in.getHeader(Exchange.FILE_NAME, String.class);
            if (source == null) {
                source = "jms " + in.getHeader("JMSMessageID", "message", String.class);
            }
            in.setHeader("ZgwSource", source);
        }
        if (in.getHeader("ZgwFormat") == null && !"jms".equals(in.getHeader("ZgwChannel")) && source.indexOf('/') > 0) {
            in.setHeader("ZgwFormat", source.substring(0, source.indexOf('/'))); // the inbox sub-folder
        }
        Long length = in.getHeader(Exchange.FILE_LENGTH, Long.class);
        Intake.checkName(source);
        if (length != null) {
            intake.checkSize(length); // before the file is read
        }
        byte[] bytes = in.getBody(byte[].class);
        if (bytes == null) {
            throw new IntakeRejected("INTAKE-EMPTY", "the input has no body", "input");
        }
        in.setBody(intake.open(source, in.getHeader("ZgwFormat", String.class), bytes));
    }

    /** One document of the input: headers for the stylesheet step, the body its bytes. */
    public void prepare(Exchange ex) {
        Intake.Part part = ex.getIn().getBody(Intake.Part.class);
        Message in = ex.getIn();
        in.setHeader("ZgwFormat", part.format().name());
        in.setHeader("ZgwPart", part.label());
        in.setHeader("ZgwUuid", UUID.randomUUID().toString());
        if (part.format().stylesheet() != null) {
            in.setHeader("ZgwStylesheet", part.format().stylesheet());
        } else {
            in.removeHeader("ZgwStylesheet");
        }
        ex.setProperty(ORIGINAL, part.bytes());
        in.setBody(part.tree() != null ? part.tree() : part.bytes());
    }

    /** The format's stylesheet: the body (the part's parsed tree, or its bytes) becomes the UBL document as a DOM. */
    public void toUbl(Exchange ex) throws IntakeRejected {
        Message in = ex.getIn();
        NodeInfo tree = in.getBody(NodeInfo.class);
        if (tree == null) { // a part cut out of a file of several documents
            try {
                tree = Stylesheets.tree(in.getBody(byte[].class), intake.maxBytes());
            } catch (XmlRejectedException e) {
                throw new IntakeRejected(e.code(), e.getMessage(), "input");
            }
        }
        in.setBody(Stylesheets.transform(in.getHeader("ZgwStylesheet", String.class), tree, in.getHeader("ZgwUuid", String.class)));
    }

    /** Pre-flight and EGS addressing; the body becomes the clean UBL, keyed for the EGS's queue. */
    public void accept(Exchange ex) throws IntakeRejected {
        Message in = ex.getIn();
        Intake.Accepted a = in.getBody() instanceof Document ubl ? intake.accept(ubl) : intake.accept(in.getBody(byte[].class));
        InvoiceFacts f = a.facts();
        in.setHeader("ZgwEgs", a.egs().id());
        in.setHeader("ZgwDocumentKey", a.documentKey());
        in.setHeader("ZgwDocumentNumber", f.id());
        in.setHeader("ZgwDocumentKind", f.kindName());
        in.setHeader("ZgwUuid", f.uuid());
        in.setHeader("JMSXGroupID", a.egs().id());
        ex.setProperty(FACTS, f);
        in.setBody(a.ubl());
        try (var c1 = MDC.putCloseable("egs", a.egs().id()); var c2 = MDC.putCloseable("document", f.id())) {
            LOG.info("accepted {} {} of seller {} from {}{} for EGS {}{}", f.kindName(), f.id(), f.sellerVat(), in.getHeader("ZgwSource"),
                    part(in), a.egs().id(), a.warnings().isEmpty() ? "" : " with warnings " + a.warnings());
        }
    }

    /** The error handler's step: the input (or the one refused document) and its reasons to the error folder. */
    public Map<String, Object> rejected(Exchange ex) throws Exception {
        Exception e = ex.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        List<Finding> findings = Stylesheets.findings(e);
        Message in = ex.getIn();
        byte[] part = ex.getProperty(ORIGINAL, byte[].class);
        InputStream original = part != null ? new ByteArrayInputStream(part) : in.getBody(InputStream.class);
        if (original == null) {
            original = new ByteArrayInputStream(new byte[0]);
        }
        String source = in.getHeader("ZgwSource", String.class);
        Map<String, Object> details = details(ex);
        ErrorFolder.Written w;
        try (InputStream o = original) {
            w = errors.write(Instant.now(), source, partSuffix(ex), o, findings, details);
        }
        Map<String, Object> event = event("zatca.intake.failed", details);
        event.put("errors", w.record().get("errors"));
        event.put("errorFile", w.reasons().toString());
        LOG.warn("intake refused {}{}: {} -> {}", Intake.printable(String.valueOf(source)), part(in),
                String.join("; ", findings.stream().map(f -> f.code() + " " + f.message() + (f.location() == null ? "" : " [" + f.location() + "]")).toList()),
                w.reasons());
        return event;
    }

    /** A repeat of a document already taken in: recorded in the duplicates folder and reported, not queued again. */
    public Map<String, Object> duplicate(Exchange ex) throws Exception {
        Message in = ex.getIn();
        String key = in.getHeader("ZgwDocumentKey", String.class);
        Finding f = Finding.error("INTAKE-DUPLICATE", "document " + in.getHeader("ZgwDocumentNumber") + " of seller VAT "
                + key.substring(0, key.indexOf(':')) + " was already taken in; this repeat was not queued again", "cbc:ID");
        Map<String, Object> details = details(ex);
        byte[] part = ex.getProperty(ORIGINAL, byte[].class);
        ErrorFolder.Written w = duplicates.write(Instant.now(), in.getHeader("ZgwSource", String.class), partSuffix(ex),
                new ByteArrayInputStream(part != null ? part : in.getBody(byte[].class)), List.of(f), details);
        LOG.warn("duplicate {} from {}{}: already taken in, recorded in {}", key, in.getHeader("ZgwSource"), part(in), w.reasons());
        Map<String, Object> event = event("zatca.intake.duplicate", details);
        event.put("duplicateFile", w.reasons().toString());
        return event;
    }

    /** The {@code zatca.<kind>.pending} event of a document now on its EGS's queue. */
    public Map<String, Object> pending(Exchange ex) {
        InvoiceFacts f = ex.getProperty(FACTS, InvoiceFacts.class);
        Map<String, Object> e = event("zatca." + f.kindName() + ".pending", details(ex));
        e.put("documentId", f.uuid());
        e.put("issueTime", f.qrTimestamp());
        e.put("supplyDate", f.supplyDate());
        e.put("status", "pending");
        e.put("zatcaResponse", null);
        return e;
    }

    private static Map<String, Object> details(Exchange ex) {
        Message in = ex.getIn();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("source", in.getHeader("ZgwSource"));
        d.put("channel", in.getHeader("ZgwChannel"));
        d.put("format", in.getHeader("ZgwFormat"));
        d.put("part", in.getHeader("ZgwPart"));
        d.put("documentNumber", in.getHeader("ZgwDocumentNumber"));
        d.put("egs", in.getHeader("ZgwEgs"));
        return d;
    }

    private static Map<String, Object> event(String type, Map<String, Object> details) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", UUID.randomUUID().toString());
        e.put("type", type);
        e.put("timestamp", Instant.now().toString());
        e.putAll(details);
        return e;
    }

    private static String part(Message in) {
        Object p = in.getHeader("ZgwPart");
        return p == null ? "" : " (" + p + ")";
    }

    private static String partSuffix(Exchange ex) {
        Object p = ex.getIn().getHeader("ZgwPart");
        return p == null ? null : p.toString().replaceAll(" of [0-9]+$", "").replace(' ', '-');
    }

}
