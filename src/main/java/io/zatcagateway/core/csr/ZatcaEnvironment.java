package io.zatcagateway.core.csr;

/**
 * The Fatoora environments, with the base URL path and the certificate-template name ZATCA expects in the CSR.
 * The simulator speaks the developer-portal dialect (test template) unless configured otherwise.
 */
public enum ZatcaEnvironment {
    SIMULATOR("simulator", "TSTZATCA-Code-Signing", null),
    DEVELOPER_PORTAL("developer-portal", "TSTZATCA-Code-Signing", "https://gw-fatoora.zatca.gov.sa/e-invoicing/developer-portal"),
    SIMULATION("simulation", "PREZATCA-Code-Signing", "https://gw-fatoora.zatca.gov.sa/e-invoicing/simulation"),
    CORE("core", "ZATCA-Code-Signing", "https://gw-fatoora.zatca.gov.sa/e-invoicing/core");

    private final String id;
    private final String templateName;
    private final String baseUrl;

    ZatcaEnvironment(String id, String templateName, String baseUrl) {
        this.id = id;
        this.templateName = templateName;
        this.baseUrl = baseUrl;
    }

    public String id() {
        return id;
    }

    /** Value of the certificate-template-name extension (OID 1.3.6.1.4.1.311.20.2) for this environment. */
    public String templateName() {
        return templateName;
    }

    /** ZATCA's base URL, or null for the simulator (its URL is configured). */
    public String baseUrl() {
        return baseUrl;
    }

    public static ZatcaEnvironment fromId(String id) {
        for (ZatcaEnvironment e : values()) {
            if (e.id.equalsIgnoreCase(id == null ? "" : id.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown environment '" + id + "'; use one of simulator, developer-portal, simulation, core");
    }
}
