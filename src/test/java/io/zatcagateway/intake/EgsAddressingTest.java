package io.zatcagateway.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zatcagateway.egs.EgsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EgsAddressingTest {
    @TempDir
    Path dir;

    EgsConfig unit(String id, String extra) throws Exception {
        String demo = Files.readString(Path.of("config/egs/demo.properties"));
        Path f = dir.resolve(id + ".properties");
        Files.writeString(f, demo + "\n" + extra + "\n");
        return EgsConfig.load(f, "http://127.0.0.1:1/e-invoicing/developer-portal");
    }

    @Test
    void theMostSpecificMatchingUnitWinsAndNothingIsGuessed() throws Exception {
        EgsConfig any = unit("any", "");
        EgsConfig plant = unit("plant-1100", "route.plant = 1100");
        EgsConfig plantCompany = unit("plant-1100-cc-1000", "route.plant = 1100\nroute.company-code = 1000");
        EgsConfig b2b = unit("b2b", "route.business-unit = 305\ndocument-kinds = standard");
        EgsAddressing a = new EgsAddressing(() -> List.of(any, plant, plantCompany, b2b));
        String vat = "300000000000003";
        assertEquals("plant-1100-cc-1000", a.resolve(vat, Map.of("plant", "1100", "company-code", "1000"), false).id());
        assertEquals("plant-1100", a.resolve(vat, Map.of("plant", "1100", "company-code", "2000"), false).id());
        assertEquals("any", a.resolve(vat, Map.of("plant", "9999"), true).id());
        IntakeRejected kind = assertThrows(IntakeRejected.class, () -> a.resolve(vat, Map.of("business-unit", "305"), true));
        assertEquals("INTAKE-EGS-KIND", kind.findings().get(0).code());
        IntakeRejected unknown = assertThrows(IntakeRejected.class, () -> a.resolve("311111111111113", Map.of(), false));
        assertEquals("INTAKE-UNKNOWN-EGS", unknown.findings().get(0).code());
        assertTrue(unknown.getMessage().contains("311111111111113") && unknown.getMessage().contains("300000000000003"), unknown.getMessage());

        EgsAddressing onlySpecific = new EgsAddressing(() -> List.of(plant, b2b));
        IntakeRejected none = assertThrows(IntakeRejected.class, () -> onlySpecific.resolve(vat, Map.of("plant", "2000"), false));
        assertTrue(none.getMessage().contains("plant=2000") && none.getMessage().contains("plant-1100 (plant=1100)"), none.getMessage());
        EgsConfig twin = unit("twin", "route.plant = 1100");
        IntakeRejected ambiguous = assertThrows(IntakeRejected.class,
                () -> new EgsAddressing(() -> List.of(plant, twin)).resolve(vat, Map.of("plant", "1100"), false));
        assertEquals("INTAKE-AMBIGUOUS-EGS", ambiguous.findings().get(0).code());
    }

    @Test
    void anUnknownAddressingKeyIsAConfigurationError() throws Exception {
        EgsConfig.Invalid e = assertThrows(EgsConfig.Invalid.class, () -> unit("typo", "route.plnat = 1100"));
        assertTrue(e.getMessage().contains("route.plnat: unknown addressing key"), e.getMessage());
    }

    @Test
    void formatLinesAreCheckedAndNamed() {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("gateway.format.acme", "xslt/acme.xsl; root={urn:acme}Bill; split=Doc");
        IntakeFormat f = IntakeFormat.all(p).get("acme");
        assertEquals("urn:acme", f.rootNamespace());
        assertEquals("Doc", f.split());
        assertTrue(f.matchesRoot("urn:acme", "Bill"));
        p.setProperty("gateway.format.Bad Name", "none; root=X");
        p.setProperty("gateway.format.noroot", "none");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IntakeFormat.all(p));
        assertTrue(e.getMessage().contains("gateway.format.Bad Name") && e.getMessage().contains("gateway.format.noroot: root=<element> is missing"), e.getMessage());
    }
}
