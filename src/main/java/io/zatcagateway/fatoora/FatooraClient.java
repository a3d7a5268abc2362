package io.zatcagateway.fatoora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;

/**
 * ZATCA's Fatoora API over HTTP (the simulator or ZATCA's environments: only the base URL differs). Every call sends
 * {@code Accept-Version: V2}, {@code Accept-Language: en} and JSON. Answers are returned whatever their status: the
 * caller classifies them; only transport failures (timeouts, refused connections) throw.
 */
public final class FatooraClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: HTTP status and the JSON body (an empty object when the body is not JSON). */
    public record Answer(int status, JsonNode body) {
        public String text(String field) {
            JsonNode n = body.get(field);
            return n == null || n.isNull() ? null : n.asText();
        }

        /** The credentials in a CSID answer (compliance or production). */
        public Credentials credentials() {
            return new Credentials(text("binarySecurityToken"), text("secret"));
        }
    }

    private final String baseUrl;
    private final HttpClient http;
    private final Duration timeout;

    public FatooraClient(String baseUrl, Duration timeout) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** {@code POST /compliance} with the OTP: a compliance CSID for the CSR. */
    public Answer complianceCsid(String otp, String csrBase64) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("csr", csrBase64);
        return send("POST", "/compliance", body, null, otp);
    }

    /** {@code POST /compliance/invoices}: one compliance check with the compliance CSID. */
    public Answer complianceCheck(Credentials ccsid, String invoiceHash, String uuid, byte[] xml) throws IOException, InterruptedException {
        return send("POST", "/compliance/invoices", documentBody(invoiceHash, uuid, xml), ccsid, null);
    }

    /** {@code POST /production/csids}: the production CSID once the compliance checks passed. */
    public Answer productionCsid(Credentials ccsid, String complianceRequestId) throws IOException, InterruptedException {
        return send("POST", "/production/csids", JSON.createObjectNode().put("compliance_request_id", complianceRequestId), ccsid, null);
    }

    /** {@code PATCH /production/csids}: renewal with the current production CSID, a renewal OTP and a new CSR. */
    public Answer renewProductionCsid(Credentials pcsid, String otp, String csrBase64) throws IOException, InterruptedException {
        return send("PATCH", "/production/csids", JSON.createObjectNode().put("csr", csrBase64), pcsid, otp);
    }

    /** {@code POST /invoices/reporting/single} (simplified documents). */
    public Answer report(Credentials pcsid, String invoiceHash, String uuid, byte[] xml) throws IOException, InterruptedException {
        return send("POST", "/invoices/reporting/single", documentBody(invoiceHash, uuid, xml), pcsid, null, "0");
    }

    /** {@code POST /invoices/clearance/single} (standard documents). */
    public Answer clear(Credentials pcsid, String invoiceHash, String uuid, byte[] xml) throws IOException, InterruptedException {
        return send("POST", "/invoices/clearance/single", documentBody(invoiceHash, uuid, xml), pcsid, null, "1");
    }

    private static ObjectNode documentBody(String invoiceHash, String uuid, byte[] xml) {
        return JSON.createObjectNode().put("invoiceHash", invoiceHash).put("uuid", uuid).put("invoice", Base64.getEncoder().encodeToString(xml));
    }

    private Answer send(String method, String path, ObjectNode body, Credentials auth, String otp) throws IOException, InterruptedException {
        return send(method, path, body, auth, otp, null);
    }

    private Answer send(String method, String path, ObjectNode body, Credentials auth, String otp, String clearanceStatus)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("Accept-Language", "en")
                .header("Accept-Version", "V2")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (auth != null) {
            b.header("Authorization", auth.authorization());
        }
        if (otp != null) {
            b.header("OTP", otp);
        }
        if (clearanceStatus != null) {
            b.header("Clearance-Status", clearanceStatus);
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode n;
        try {
            n = r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            n = JSON.createObjectNode().put("raw", new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return new Answer(r.statusCode(), n == null ? JSON.createObjectNode() : n);
    }
}
