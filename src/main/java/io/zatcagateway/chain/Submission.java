package io.zatcagateway.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zatcagateway.fatoora.Credentials;
import io.zatcagateway.fatoora.FatooraClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One submission of stored bytes to ZATCA and the classification of its answer, as ZATCA's status table says:
 * 200/202 done (202 keeps its warnings), 208 and 409 already received (done), 303 clearance switched off (re-route to
 * reporting), 400 rejected (final; the chain goes on), 401 credentials (pause the EGS), 413 and any other 4xx permanent,
 * 429/500/503/504, timeouts and connection errors transient (the same bytes again later).
 */
public final class Submission {
    /** Where a submission goes. */
    public enum Endpoint { CLEARANCE, REPORTING }

    /** What the answer means for the document. */
    public enum Outcome { CLEARED, REPORTED, REJECTED, REROUTE }

    /** A final or re-routing answer. {@code clearedXml} is ZATCA's stamped copy (clearance), else null. */
    public record Result(Outcome outcome, int status, JsonNode body, byte[] clearedXml, List<String> warnings, List<String> errors) {
        /** The response to keep (store and events): the JSON without the (large) cleared document, which goes to the outbox. */
        public JsonNode responseToKeep() {
            if (body instanceof ObjectNode o && o.has("clearedInvoice")) {
                ObjectNode copy = o.deepCopy();
                copy.put("clearedInvoice", clearedXml == null ? null : "(in the outbox)");
                return copy;
            }
            return body;
        }
    }

    private Submission() {
    }

    /** Sends and classifies; throws the exception that says what must happen when the answer is not final. */
    public static Result submit(FatooraClient client, Credentials credentials, Endpoint endpoint, String invoiceHash, String uuid, byte[] xml)
            throws ZatcaUnavailable, ZatcaCredentialsRejected, ZatcaPermanentFailure, InterruptedException {
        FatooraClient.Answer a;
        try {
            a = endpoint == Endpoint.CLEARANCE ? client.clear(credentials, invoiceHash, uuid, xml) : client.report(credentials, invoiceHash, uuid, xml);
        } catch (HttpTimeoutException e) {
            throw new ZatcaUnavailable(endpoint, 0, "no answer within the timeout (the document may or may not have been received)");
        } catch (ConnectException e) {
            throw new ZatcaUnavailable(endpoint, 0, "connection refused or failed: " + e.getMessage());
        } catch (IOException e) {
            throw new ZatcaUnavailable(endpoint, 0, "transport error: " + e);
        }
        return classify(endpoint, a.status(), a.body());
    }

    /** The reference's status table. */
    public static Result classify(Endpoint endpoint, int status, JsonNode body) throws ZatcaUnavailable, ZatcaCredentialsRejected, ZatcaPermanentFailure {
        List<String> warnings = messages(body, "warningMessages");
        List<String> errors = messages(body, "errorMessages");
        Outcome done = endpoint == Endpoint.CLEARANCE ? Outcome.CLEARED : Outcome.REPORTED;
        switch (status) {
            case 200, 202, 208, 409:
                return new Result(done, status, body, endpoint == Endpoint.CLEARANCE ? cleared(body) : null, warnings, errors);
            case 303:
                if (endpoint == Endpoint.CLEARANCE) {
                    return new Result(Outcome.REROUTE, status, body, null, warnings, errors);
                }
                throw new ZatcaPermanentFailure(endpoint, status, "303 from the reporting endpoint: " + summary(body));
            case 400:
                if (errors.isEmpty()) {
                    // a malformed request, not a judgement on the document
                    throw new ZatcaPermanentFailure(endpoint, status, "request refused: " + summary(body));
                }
                return new Result(Outcome.REJECTED, status, body, null, warnings, errors);
            case 401:
                throw new ZatcaCredentialsRejected(endpoint, summary(body));
            case 429, 500, 502, 503, 504:
                throw new ZatcaUnavailable(endpoint, status, summary(body));
            default:
                throw new ZatcaPermanentFailure(endpoint, status, (status == 413 ? "payload too large: " : "") + summary(body));
        }
    }

    private static byte[] cleared(JsonNode body) {
        JsonNode n = body.get("clearedInvoice");
        if (n == null || n.isNull() || n.asText().isEmpty()) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(n.asText());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** "code: message" of each message in validationResults.<field>. */
    static List<String> messages(JsonNode body, String field) {
        List<String> out = new ArrayList<>();
        JsonNode list = body.path("validationResults").path(field);
        for (JsonNode m : list) {
            out.add(m.path("code").asText() + ": " + m.path("message").asText());
        }
        return out;
    }

    private static String summary(JsonNode body) {
        if (body == null || body.isEmpty()) {
            return "(empty body)";
        }
        String s = body.has("message") ? body.get("message").asText() : body.toString();
        return s.length() > 500 ? s.substring(0, 500) + "..." : s;
    }
}
