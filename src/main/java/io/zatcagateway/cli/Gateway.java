package io.zatcagateway.cli;

import io.zatcagateway.egs.EgsConfig;
import io.zatcagateway.egs.KeyVault;
import io.zatcagateway.fatoora.FatooraClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** What the EGS commands share: the configuration, the EGS units and the vault. */
final class Gateway {
    final Properties properties;
    final Map<String, EgsConfig> egs = new LinkedHashMap<>();
    final String simulatorBaseUrl;

    Gateway(Properties properties, String simulatorBaseUrl) throws EgsConfig.Invalid {
        this.properties = properties;
        this.simulatorBaseUrl = simulatorBaseUrl != null ? simulatorBaseUrl : properties.getProperty("gateway.simulator.base-url",
                "http://" + properties.getProperty("simulator.host", "127.0.0.1") + ":" + properties.getProperty("simulator.port", "8943")
                        + "/e-invoicing/" + properties.getProperty("simulator.environment", "developer-portal")).trim();
        for (EgsConfig c : EgsConfig.loadAll(Path.of(properties.getProperty("gateway.egs-dir", "config/egs").trim()), this.simulatorBaseUrl)) {
            egs.put(c.id(), c);
        }
    }

    static Gateway load(Path configFile) throws IOException, EgsConfig.Invalid {
        return new Gateway(Config.load(configFile), null);
    }

    EgsConfig egs(String id) {
        EgsConfig c = egs.get(id);
        if (c == null) {
            throw new IllegalArgumentException("unknown EGS '" + id + "'; configured: " + egs.keySet() + " (files in "
                    + properties.getProperty("gateway.egs-dir", "config/egs") + ")");
        }
        return c;
    }

    Path passwordFile() {
        return Path.of(properties.getProperty("gateway.vault.password-file", "data/vault.password").trim());
    }

    KeyVault vault() throws IOException {
        return new KeyVault(Path.of(properties.getProperty("gateway.vault.dir", "data/vault").trim()), KeyVault.password(passwordFile()));
    }

    FatooraClient client(EgsConfig c) {
        return new FatooraClient(c.baseUrl(), Duration.ofSeconds(60));
    }
}
