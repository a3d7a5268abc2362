package io.zatcagateway.cli;

import io.zatcagateway.core.InvoiceHash;
import io.zatcagateway.core.SignatureVerifier;
import io.zatcagateway.core.validation.Finding;
import io.zatcagateway.core.validation.Severity;
import io.zatcagateway.core.validation.ValidationReport;
import io.zatcagateway.core.xml.SecureXml;
import io.zatcagateway.core.xml.XmlRejectedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.w3c.dom.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Verifies the cryptographic stamp of signed documents of any kind, without the business rules. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verifies signed documents (standard and simplified): invoice hash, ECDSA signature, certificate digest,",
                "issuer and serial, signed-properties digest, signing time within the certificate's validity, and every QR tag.",
                "Exit code: 0 when every file verifies, 1 when any does not, 2 on usage errors."})
public final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "<file>", description = "signed UBL documents")
    List<Path> files;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int failed = 0;
        for (Path file : files) {
            try {
                Document doc = SecureXml.parse(Files.readAllBytes(file));
                String hash = InvoiceHash.of(doc);
                ValidationReport r = SignatureVerifier.verify(doc, hash);
                boolean ok = !r.hasErrors();
                if (!ok) {
                    failed++;
                }
                out.println(file + ": " + (ok ? "VERIFIED" : "NOT VERIFIED") + " (invoice hash " + hash + ")");
                for (Finding f : r.findings()) {
                    if (f.severity() != Severity.INFO) {
                        out.println("  " + f.severity() + " " + f.code() + " at " + f.location() + ": " + f.message());
                    }
                }
            } catch (IOException | XmlRejectedException e) {
                failed++;
                out.println(file + ": NOT VERIFIED");
                out.println("  ERROR " + (e instanceof XmlRejectedException x ? x.code() + ": " : "") + e.getMessage());
            }
        }
        out.flush();
        return failed == 0 ? 0 : 1;
    }
}
