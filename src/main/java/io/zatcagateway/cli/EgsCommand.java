package io.zatcagateway.cli;

import io.zatcagateway.app.GatewayContext;
import io.zatcagateway.egs.CertificateLifecycle;
import io.zatcagateway.egs.EgsConfig;
import io.zatcagateway.egs.EgsSecrets;
import io.zatcagateway.egs.KeyVault;
import io.zatcagateway.fatoora.Credentials;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code egs list} and {@code egs show <id>}. */
@Command(name = "egs", mixinStandardHelpOptions = true, description = "Lists EGS units or shows one: environment, onboarding state, certificate.",
        subcommands = {EgsCommand.ListEgs.class, EgsCommand.ShowEgs.class})
public final class EgsCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    static String describe(EgsConfig c, KeyVault vault) {
        try {
            EgsSecrets s = vault.read(c.environment().id(), c.id());
            if (s == null) {
                return "not onboarded";
            }
            String state = s.step + (s.renewing ? " (renewal in progress)" : "");
            if (s.productionToken == null) {
                return state;
            }
            var cert = new Credentials(s.productionToken, s.productionSecret).certificate();
            return state + ", " + CertificateLifecycle.status(cert, Instant.now()).describe();
        } catch (IOException | java.security.GeneralSecurityException e) {
            return "vault unreadable: " + e.getMessage();
        }
    }

    @Command(name = "list", description = "one line per EGS")
    static final class ListEgs implements Callable<Integer> {
        @Option(names = "--config")
        Path config;

        @Override
        public Integer call() throws Exception {
            GatewayContext g = new GatewayContext(Config.load(config), null);
            KeyVault vault = g.vault();
            for (EgsConfig c : g.egs().values()) {
                System.out.println(c.id() + "  " + c.environment().id() + "  VAT " + c.vat() + "  " + describe(c, vault));
            }
            if (g.egs().isEmpty()) {
                System.out.println("no EGS configured (add config/egs/<egs-id>.properties)");
            }
            return 0;
        }
    }

    @Command(name = "show", description = "details of one EGS")
    static final class ShowEgs implements Callable<Integer> {
        @Parameters(paramLabel = "<egs-id>")
        String egsId;

        @Option(names = "--config")
        Path config;

        @Override
        public Integer call() throws Exception {
            GatewayContext g = new GatewayContext(Config.load(config), null);
            EgsConfig c = g.egs(egsId);
            KeyVault vault = g.vault();
            System.out.println("EGS " + c.id());
            System.out.println("  environment:   " + c.environment().id() + " (" + c.baseUrl() + ", CSR template " + c.environment().templateName() + ")");
            System.out.println("  seller:        " + c.sellerName() + ", VAT " + c.vat() + ", " + c.sellerIdScheme() + " " + c.sellerId());
            System.out.println("  branch:        " + c.branch() + ", " + c.address());
            System.out.println("  issues:        " + (c.standard() ? "standard" : "") + (c.standard() && c.simplified() ? " and " : "")
                    + (c.simplified() ? "simplified" : "") + " documents (invoice type " + c.profile().invoiceType() + ")");
            System.out.println("  serial:        " + c.profile().serialNumber());
            System.out.println("  state:         " + describe(c, vault));
            System.out.println("  vault file:    " + vault.file(c.environment().id(), c.id()));
            System.out.println("  last ICV:      (kept by the chain store, not built yet)");
            return 0;
        }
    }
}
