package io.zatcagateway.app;

import io.zatcagateway.egs.EgsConfig;
import io.zatcagateway.egs.KeyVault;
import io.zatcagateway.fatoora.FatooraClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** What the commands and the running gateway share: the configuration, the EGS units and the vault. */
public final class GatewayContext {
    private final Properties properties;
    private final Map<String, EgsConfig> egs = new LinkedHashMap<>();
    private final String simulatorBaseUrl;

    public GatewayContext(Properties properties, String simulatorBaseUrl) throws EgsConfig.Invalid {
        this.properties = properties;
        this.simulatorBaseUrl = simulatorBaseUrl != null ? simulatorBaseUrl : properties.getProperty("gateway.simulator.base-url",
                "http://" + properties.getProperty("simulator.host", "127.0.0.1") + ":" + properties.getProperty("simulator.port", "8943")
                        + "/e-invoicing/" + properties.getProperty("simulator.environment", "developer-portal")).trim();
        for (EgsConfig c : EgsConfig.loadAll(Path.of(properties.getProperty("gateway.egs-dir", "config/egs").trim()), this.simulatorBaseUrl)) {
            egs.put(c.id(), c);
        }
    }

    public Properties properties() {
        return properties;
    }

    /** The EGS units by id, in file-name order. */
    public Map<String, EgsConfig> egs() {
        return egs;
    }

    public String simulatorBaseUrl() {
        return simulatorBaseUrl;
    }

    public EgsConfig egs(String id) {
        EgsConfig c = egs.get(id);
        if (c == null) {
            throw new IllegalArgumentException("unknown EGS '" + id + "'; configured: " + egs.keySet() + " (files in "
                    + properties.getProperty("gateway.egs-dir", "config/egs") + ")");
        }
        return c;
    }

    /** A {@code {{env:NAME:default}}} setting as the running gateway resolves it (other values unchanged). */
    public static String resolveEnv(String v) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{\\{env:([A-Za-z0-9_]+)(?::([^}]*))?}}").matcher(v);
        if (m.matches()) {
            String e = System.getenv(m.group(1));
            return e != null ? e : m.group(2) == null ? "" : m.group(2);
        }
        return v;
    }

    public Path passwordFile() {
        return Path.of(properties.getProperty("gateway.vault.password-file", "data/vault.password").trim());
    }

    public KeyVault vault() throws IOException {
        return new KeyVault(Path.of(properties.getProperty("gateway.vault.dir", "data/vault").trim()), KeyVault.password(passwordFile()));
    }

    public FatooraClient client(EgsConfig c) {
        return new FatooraClient(c.baseUrl(), Duration.ofSeconds(60));
    }
}
