package io.zatcagateway.bench;

import io.zatcagateway.core.DocumentType;
import io.zatcagateway.core.InvoiceHash;
import io.zatcagateway.core.InvoiceSigner;
import io.zatcagateway.core.SignedInvoice;
import io.zatcagateway.core.SigningIdentity;
import io.zatcagateway.core.csr.CsrGenerator;
import io.zatcagateway.core.csr.EgsProfile;
import io.zatcagateway.core.csr.ZatcaEnvironment;
import io.zatcagateway.core.ubl.SampleDocuments;
import io.zatcagateway.fatoora.Credentials;
import io.zatcagateway.fatoora.FatooraClient;
import io.zatcagateway.simulator.FatooraSimulator;
import io.zatcagateway.simulator.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reporting throughput of the Fatoora simulator in fast validation mode, over real HTTP on loopback: 8 client
 * threads (Apache HttpClient 5, as camel-http), each one EGS with its own pre-signed chain of distinct simplified
 * invoices (no duplicate short-cuts).
 * Client and server share the same 2 cores, so the figure is a lower bound for the simulator alone.
 * Run: {@code mvn -B test-compile exec:exec@bench -Dbench=SimulatorBench}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 12, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
@Threads(8)
public class SimulatorBench {
    static final int DOCS_PER_THREAD = 9000;

    @State(Scope.Benchmark)
    public static class Server {
        FatooraSimulator sim;
        FatooraClient client;
        org.apache.hc.client5.http.impl.classic.CloseableHttpClient load;
        final AtomicInteger egsCounter = new AtomicInteger();

        @Setup(Level.Trial)
        public void start() throws Exception {
            sim = new FatooraSimulator(SimulatorConfig.of("simulator.demo-otp", "111111")).start();
            client = new FatooraClient(sim.baseUrl(), Duration.ofSeconds(30));
            var pool = new org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager();
            pool.setMaxTotal(16);
            pool.setDefaultMaxPerRoute(16);
            load = org.apache.hc.client5.http.impl.classic.HttpClients.custom().setConnectionManager(pool).disableAutomaticRetries().build();
        }

        @TearDown(Level.Trial)
        public void stop() {
            System.out.println("\nsimulator accepted " + sim.records().size() + " documents");
            sim.close();
        }
    }

    @State(Scope.Thread)
    public static class Egs {
        Credentials pcsid;
        List<byte[]> bodies = new ArrayList<>();
        int next;

        @Setup(Level.Trial)
        public void onboard(Server s) throws Exception {
            int n = s.egsCounter.incrementAndGet();
            String vat = String.format("3%013d3", 5000 + n);
            EgsProfile profile = new EgsProfile("EGS-bench-" + n, "1-Bench|2-1|3-" + n, vat, "Branch", "Bench Seller", "0100",
                    "Riyadh", "Retail", ZatcaEnvironment.DEVELOPER_PORTAL);
            CsrGenerator.Csr csr = CsrGenerator.generate(profile);
            FatooraClient.Answer cc = s.client.complianceCsid("111111", csr.apiValue());
            Credentials ccsid = cc.credentials();
            SampleDocuments samples = new SampleDocuments(vat, "Bench Seller");
            InvoiceSigner ccSigner = new InvoiceSigner(new SigningIdentity(csr.keyPair().getPrivate(), ccsid.certificate()));
            for (DocumentType t : new DocumentType[] {DocumentType.INVOICE, DocumentType.CREDIT_NOTE, DocumentType.DEBIT_NOTE}) {
                SignedInvoice d = ccSigner.sign(samples.document(t, true, "C-" + t.code(), "C-388").getBytes(StandardCharsets.UTF_8), 1,
                        InvoiceHash.GENESIS_PIH, Instant.now());
                s.client.complianceCheck(ccsid, d.invoiceHash(), d.uuid(), d.xml());
            }
            pcsid = s.client.productionCsid(ccsid, cc.text("requestID")).credentials();
            InvoiceSigner signer = new InvoiceSigner(new SigningIdentity(csr.keyPair().getPrivate(), pcsid.certificate()));
            String pih = InvoiceHash.GENESIS_PIH;
            byte[] template = samples.document(DocumentType.INVOICE, true, "B-1", null).getBytes(StandardCharsets.UTF_8);
            for (int i = 1; i <= DOCS_PER_THREAD; i++) {
                String xml = new String(template, StandardCharsets.UTF_8).replace("<cbc:ID>B-1</cbc:ID>", "<cbc:ID>B-" + i + "</cbc:ID>")
                        .replaceFirst("<cbc:UUID>[^<]+</cbc:UUID>", "<cbc:UUID>" + java.util.UUID.randomUUID() + "</cbc:UUID>");
                SignedInvoice d = signer.sign(xml.getBytes(StandardCharsets.UTF_8), i, pih, Instant.now());
                pih = d.invoiceHash();
                bodies.add(("{\"invoiceHash\":\"" + d.invoiceHash() + "\",\"uuid\":\"" + d.uuid() + "\",\"invoice\":\""
                        + java.util.Base64.getEncoder().encodeToString(d.xml()) + "\"}").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Benchmark
    public int report(Server s, Egs e) throws Exception {
        if (e.next >= e.bodies.size()) {
            throw new IllegalStateException("out of pre-signed documents; raise DOCS_PER_THREAD");
        }
        byte[] body = e.bodies.get(e.next++);
        var post = new org.apache.hc.client5.http.classic.methods.HttpPost(s.sim.baseUrl() + "/invoices/reporting/single");
        post.setHeader("Accept-Version", "V2");
        post.setHeader("Accept-Language", "en");
        post.setHeader("Authorization", e.pcsid.authorization());
        post.setEntity(new org.apache.hc.core5.http.io.entity.ByteArrayEntity(body, org.apache.hc.core5.http.ContentType.APPLICATION_JSON));
        int status = s.load.execute(post, r -> {
            org.apache.hc.core5.http.io.entity.EntityUtils.consume(r.getEntity());
            return r.getCode();
        });
        if (status != 200 && status != 202) {
            throw new IllegalStateException("reporting answered " + status);
        }
        return status;
    }
}
