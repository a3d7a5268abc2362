package io.zatcagateway.app;

import java.util.Map;
import org.apache.camel.main.Main;

/** The gateway as a camel-main application: configuration from {@code config/}, routes from {@code routes/}. */
public final class GatewayApplication {
    private GatewayApplication() {
    }

    /** A configured, not yet started Main; {@code overrides} win over the properties file (tests use them). */
    public static Main newMain(Map<String, String> overrides) {
        Main main = new Main();
        main.configure().addConfiguration(GatewayConfiguration.class);
        main.setPropertyPlaceholderLocations(System.getProperty("gateway.config", "file:config/application.properties"));
        overrides.forEach(main::addOverrideProperty);
        return main;
    }
}
