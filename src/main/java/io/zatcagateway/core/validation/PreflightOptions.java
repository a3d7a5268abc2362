package io.zatcagateway.core.validation;

import java.time.LocalDate;
import java.time.ZoneId;

/**
 * How to run pre-flight.
 *
 * @param mode        FAST: the Java rules only (the per-invoice default, under a millisecond); STRICT: also the
 *                    UBL 2.1 XSD and the EN 16931 schematron (20-35 ms)
 * @param stage       UNSIGNED: an ERP document before the chain has stamped ICV/PIH and signed it (chain, QR and
 *                    signature rules are skipped); SIGNED: a complete document as it goes to ZATCA
 * @param expectedPih when set, the PIH must equal it (PIH-MISMATCH)
 * @param expectedIcv when set, the ICV must equal it (ICV-MISMATCH)
 * @param today       "today" for BR-KSA-04, in Riyadh time by default
 */
public record PreflightOptions(Mode mode, Stage stage, String expectedPih, Long expectedIcv, LocalDate today) {

    public enum Mode { FAST, STRICT }

    public enum Stage { UNSIGNED, SIGNED }

    public static final ZoneId RIYADH = ZoneId.of("Asia/Riyadh");

    public static PreflightOptions unsigned() {
        return new PreflightOptions(Mode.FAST, Stage.UNSIGNED, null, null, LocalDate.now(RIYADH));
    }

    public static PreflightOptions signed() {
        return new PreflightOptions(Mode.FAST, Stage.SIGNED, null, null, LocalDate.now(RIYADH));
    }

    public PreflightOptions strict(boolean strict) {
        return new PreflightOptions(strict ? Mode.STRICT : Mode.FAST, stage, expectedPih, expectedIcv, today);
    }

    public PreflightOptions withExpectedPih(String pih) {
        return new PreflightOptions(mode, stage, pih, expectedIcv, today);
    }

    public PreflightOptions withExpectedIcv(Long icv) {
        return new PreflightOptions(mode, stage, expectedPih, icv, today);
    }
}
