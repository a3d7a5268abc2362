package io.zatcagateway.egs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zatcagateway.cli.GatewayCli;
import io.zatcagateway.simulator.FatooraSimulator;
import io.zatcagateway.simulator.SimulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The onboard command in its own JVM, with every logger at DEBUG: nothing secret may reach its output. */
class OnboardCommandSecretsTest {
    @TempDir
    Path dir;

    @Test
    void aFullOnboardingRunPrintsAndLogsNoSecret() throws Exception {
        try (FatooraSimulator sim = new FatooraSimulator(SimulatorConfig.defaults()).start()) {
            String vat = "300000000700003";
            Files.createDirectories(dir.resolve("egs"));
            Files.writeString(dir.resolve("egs/shop-1.properties"), String.join("\n", "environment = simulator", "base-url = " + sim.baseUrl(),
                    "vat = " + vat, "seller-id = 1010010000", "seller-name = Shop One", "branch = Jeddah", "street = Tahlia Street",
                    "building-number = 1234", "district = Al Andalus", "city = Jeddah", "postal-zone = 23326", "industry = Retail",
                    "document-kinds = both", "solution-name = ZatcaGateway", "solution-version = 0.1", "device-serial = shop-1-till", ""));
            Path props = dir.resolve("application.properties");
            Files.writeString(props, "gateway.egs-dir = " + dir.resolve("egs") + "\ngateway.vault.dir = " + dir.resolve("vault") + "\n");
            Path log4j = dir.resolve("log4j2-debug.properties");
            Files.writeString(log4j, "appender.c.type = Console\nappender.c.name = c\nappender.c.layout.type = PatternLayout\n"
                    + "appender.c.layout.pattern = %d %-5level %c - %msg%n\nrootLogger.level = debug\nrootLogger.appenderRef.c.ref = c\n");
            String otp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sim.adminUrl() + "/otp?vat=" + vat))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body()
                    .replaceAll(".*\"otp\":\"([0-9]{6})\".*", "$1");
            String password = "vault-password-for-the-secrets-test";

            ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dlog4j2.configurationFile=" + log4j, "-cp", System.getProperty("java.class.path"), GatewayCli.class.getName(),
                    "onboard", "shop-1", "--config", props.toString())).redirectErrorStream(true);
            pb.environment().put("ZGW_OTP", otp);
            pb.environment().put("ZGW_VAULT_PASSWORD", password);
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), output);
            assertEquals(0, p.exitValue(), output);
            assertTrue(output.contains("onboarding of EGS shop-1 complete"), output);
            assertTrue(output.contains("DEBUG") || output.contains("INFO"), "the run did not log: " + output);

            EgsSecrets s = new KeyVault(dir.resolve("vault"), password.toCharArray()).read("simulator", "shop-1");
            assertEquals(EgsSecrets.Step.ONBOARDED, s.step);
            for (String secret : List.of(otp, password, s.productionKey, s.productionSecret, s.privateKey)) {
                assertFalse(output.contains(secret), "a secret appears in the output");
            }
        }
    }
}
