package io.zatcagateway.testsupport;

import io.zatcagateway.core.DocumentType;
import io.zatcagateway.core.InvoiceHash;
import io.zatcagateway.core.InvoiceSigner;
import io.zatcagateway.core.SignedInvoice;
import io.zatcagateway.core.ubl.SampleDocuments;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Developer aid: writes a signed chain of every kind to a folder, to check with an external validator. */
public final class SignChainDemo {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/signed-chain");
        Files.createDirectories(dir);
        InvoiceSigner signer = new InvoiceSigner(TestPki.identity());
        SampleDocuments samples = new SampleDocuments(TestPki.SELLER_VAT, "Test Seller LLC");
        String pih = InvoiceHash.GENESIS_PIH;
        long icv = 1;
        for (int round = 0; round < 3; round++) {
            for (boolean simplified : new boolean[] {false, true}) {
                for (DocumentType t : new DocumentType[] {DocumentType.INVOICE, DocumentType.CREDIT_NOTE, DocumentType.DEBIT_NOTE}) {
                    String id = "DOC-" + icv;
                    byte[] unsigned = samples.document(t, simplified, id, "DOC-1").getBytes(StandardCharsets.UTF_8);
                    SignedInvoice s = signer.sign(unsigned, icv, pih, Instant.now());
                    String name = String.format("%03d-%s.xml", icv, s.facts().kindName());
                    Files.write(dir.resolve(name), s.xml());
                    Files.writeString(dir.resolve(name + ".pih"), pih);
                    pih = s.invoiceHash();
                    icv++;
                }
            }
        }
        System.out.println("wrote " + (icv - 1) + " signed documents to " + dir);
    }
}
