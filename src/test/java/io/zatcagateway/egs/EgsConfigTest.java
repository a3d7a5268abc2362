package io.zatcagateway.egs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zatcagateway.core.csr.ZatcaEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EgsConfigTest {
    @TempDir
    Path dir;

    @Test
    void theShippedDemoConfigurationIsValid() throws Exception {
        EgsConfig demo = EgsConfig.load(Path.of("config/egs/demo.properties"), "http://127.0.0.1:8943/e-invoicing/developer-portal");
        assertEquals("demo", demo.id());
        assertEquals(ZatcaEnvironment.SIMULATOR, demo.environment());
        assertEquals("1100", demo.profile().invoiceType());
        assertEquals("1-ZatcaGateway|2-0.1|3-6f4d20e0-6bfe-4a80-9389-7dabe6620f12", demo.profile().serialNumber());
        assertTrue(demo.profile().problems().isEmpty());
    }

    @Test
    void everyProblemNamesTheFileAndTheField() throws Exception {
        Path f = dir.resolve("bad-egs.properties");
        Files.writeString(f, "environment = staging\nvat = 123\nseller-id = 10-10\nseller-id-scheme = XYZ\ndocument-kinds = all\n"
                + "building-number = 12\npostal-zone = 1\nseller-name = " + "x".repeat(70) + "\n");
        EgsConfig.Invalid e = assertThrows(EgsConfig.Invalid.class, () -> EgsConfig.load(f, null));
        String m = e.getMessage();
        assertTrue(m.startsWith(f.toString()), m);
        for (String field : new String[] {"environment:", "vat:", "seller-id:", "seller-id-scheme:", "document-kinds:", "building-number:",
                "postal-zone:", "branch: missing", "street: missing", "device-serial: missing", "seller-name:"}) {
            assertTrue(m.contains(field), field + " not named in:\n" + m);
        }
    }

    @Test
    void productionEnvironmentsTakeZatcasUrl() throws Exception {
        String body = Files.readString(Path.of("config/egs/demo.properties")).replace("environment = simulator", "environment = core");
        Path f = Files.writeString(dir.resolve("prod.properties"), body);
        EgsConfig c = EgsConfig.load(f, "http://127.0.0.1:1/ignored");
        assertEquals("https://gw-fatoora.zatca.gov.sa/e-invoicing/core", c.baseUrl());
        assertEquals("ZATCA-Code-Signing", c.profile().environment().templateName());
    }
}
