package io.zatcagateway.testsupport;

import io.zatcagateway.core.SigningIdentity;
import io.zatcagateway.core.csr.CsrGenerator;
import io.zatcagateway.core.csr.EgsProfile;
import io.zatcagateway.core.csr.ZatcaEnvironment;
import io.zatcagateway.simulator.SimulatorCa;
import java.security.cert.X509Certificate;
import java.time.Duration;

/** A real CA and a real EGS certificate issued from a real CSR, made fresh for the tests. */
public final class TestPki {
    public static final String SELLER_VAT = "300000000000003";
    public static final SimulatorCa CA = new SimulatorCa();
    private static SigningIdentity identity;

    private TestPki() {
    }

    public static EgsProfile profile(String vat, String invoiceType) {
        return new EgsProfile("EGS-Test-1", "1-ZatcaGateway|2-0.1|3-test-0001", vat, "Riyadh Branch", "Test Seller LLC",
                invoiceType, "King Fahd Road, Riyadh", "Retail", ZatcaEnvironment.SIMULATOR);
    }

    public static synchronized SigningIdentity identity() {
        if (identity == null) {
            identity = newIdentity(Duration.ofDays(365));
        }
        return identity;
    }

    public static SigningIdentity newIdentity(Duration validity) {
        try {
            CsrGenerator.Csr csr = CsrGenerator.generate(profile(SELLER_VAT, "1100"));
            X509Certificate cert = CA.issue(csr.request(), validity);
            return new SigningIdentity(csr.keyPair().getPrivate(), cert);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
