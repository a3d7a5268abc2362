package io.zatcagateway.bench;

import io.zatcagateway.core.InvoiceFacts;
import io.zatcagateway.core.InvoiceHash;
import io.zatcagateway.core.InvoiceSigner;
import io.zatcagateway.core.QrCode;
import io.zatcagateway.core.QrImage;
import io.zatcagateway.core.SignatureVerifier;
import io.zatcagateway.core.SignedInvoice;
import io.zatcagateway.core.SigningIdentity;
import io.zatcagateway.core.validation.Preflight;
import io.zatcagateway.core.validation.PreflightOptions;
import io.zatcagateway.core.validation.ValidationReport;
import io.zatcagateway.core.xml.SecureXml;
import io.zatcagateway.testsupport.TestPki;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.w3c.dom.Document;

/**
 * The per-invoice costs of the ZATCA core on a ~13 KB invoice, single thread.
 * Run: {@code mvn -B test-compile exec:exec@bench -Dbench=CoreBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 15, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class CoreBench {
    byte[] unsigned;
    byte[] signedBytes;
    Document unsignedDom;
    InvoiceSigner signer;
    SigningIdentity identity;
    SignedInvoice signed;
    InvoiceFacts facts;
    long icv;
    String[] qrPayloads = new String[64];
    long qrTurn;

    @Setup
    public void setUp() throws Exception {
        identity = TestPki.newIdentity(Duration.ofDays(30));
        signer = new InvoiceSigner(identity);
        unsigned = BenchDocuments.invoice13k(TestPki.SELLER_VAT, false);
        unsignedDom = SecureXml.parse(unsigned);
        signed = signer.sign(unsigned, 1, InvoiceHash.GENESIS_PIH, Instant.now());
        signedBytes = signed.xml();
        facts = signed.facts();
        for (int i = 0; i < qrPayloads.length; i++) {
            qrPayloads[i] = signer.sign(unsigned, i + 1, InvoiceHash.GENESIS_PIH, Instant.now()).qr();
        }
        System.out.println("\nunsigned invoice: " + unsigned.length + " bytes, signed: " + signedBytes.length + " bytes");
    }

    /** Invoice hash from bytes: parse, strip, C14N 1.1, SHA-256. */
    @Benchmark
    public String hash() throws Exception {
        return InvoiceHash.of(SecureXml.parse(signedBytes));
    }

    /** The sign path: parse → stamp ICV/PIH → hash → ECDSA → XAdES → QR → signed bytes. */
    @Benchmark
    public byte[] sign() throws Exception {
        return signer.sign(unsigned, ++icv, InvoiceHash.GENESIS_PIH, Instant.now()).xml();
    }

    /**
     * What the receiving side checks of a signed document (the simulator on every submission, {@code chain verify} on
     * every stored document): parse, invoice hash, then ECDSA, XAdES digests and certificate, QR.
     */
    @Benchmark
    public ValidationReport verify() throws Exception {
        Document d = SecureXml.parse(signedBytes);
        return SignatureVerifier.verify(d, InvoiceHash.of(d));
    }

    /** QR TLV and base64 from the document facts. */
    @Benchmark
    public String qr() {
        return QrCode.encode(facts, signed.invoiceHash(), signed.signatureValue(), identity);
    }

    /**
     * The outbox's QR picture at 300 px: encode, read back with a generic detector, PNG. Payloads of 64 signed
     * documents in turn (every signature differs, and so does every symbol).
     */
    @Benchmark
    public byte[] qrPng() {
        return QrImage.png(qrPayloads[(int) (++qrTurn & 63)], 300);
    }

    /** The pre-flight that runs on every invoice (fast mode), on the parsed document. */
    @Benchmark
    public ValidationReport preflightFast() {
        return Preflight.check(unsignedDom, PreflightOptions.unsigned());
    }

    /** Fast pre-flight including the parse of the bytes. */
    @Benchmark
    public ValidationReport parseAndPreflightFast() throws Exception {
        return Preflight.check(SecureXml.parse(unsigned), PreflightOptions.unsigned());
    }

    /** Strict pre-flight (XSD + EN 16931 schematron): the validate command's mode, not the hot path. */
    @Benchmark
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 3, time = 2)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public ValidationReport preflightStrict() {
        return Preflight.check(unsignedDom, PreflightOptions.unsigned().strict(true));
    }
}
