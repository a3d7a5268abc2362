package io.zatcagateway.cli;

import io.zatcagateway.app.GatewayApplication;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.camel.main.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Starts the gateway (camel-main) with the routes of {@code routes/} and the configuration of {@code config/}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Starts the gateway: embedded Artemis broker, embedded Fatoora simulator and demo EGS by default,",
                "the routes of routes/, health and metrics on the management port. Stops on Ctrl+C or SIGTERM."})
public final class RunCommand implements Callable<Integer> {
    @Option(names = "--config", description = "properties file (default: config/application.properties)")
    Path config;

    @Override
    public Integer call() throws Exception {
        if (config != null) {
            System.setProperty("gateway.config", "file:" + config);
        }
        Main main = GatewayApplication.newMain(Map.of());
        main.run();
        return main.getExitCode();
    }
}
