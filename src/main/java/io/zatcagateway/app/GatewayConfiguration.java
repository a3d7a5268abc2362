package io.zatcagateway.app;

import io.zatcagateway.core.xml.SecureXml;
import io.zatcagateway.intake.EgsAddressing;
import io.zatcagateway.intake.ErrorFolder;
import io.zatcagateway.intake.Intake;
import io.zatcagateway.intake.IntakeFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Wires the gateway into Camel: the embedded broker (unless {@code gateway.broker.embedded=false}), the gateway's
 * services as bean {@code gateway}, and the certificate health check. Infrastructure beans (the JMS connection
 * factory) are declared in {@code config/application.properties}; the flow is in {@code routes/}.
 */
public final class GatewayConfiguration implements CamelConfiguration {
    @Override
    public void configure(CamelContext context) throws Exception {
        Properties p = settings(context.getPropertiesComponent());
        // the instance's name as a folder name: the SFTP archive has one folder per instance (see intake.camel.yaml)
        context.getPropertiesComponent().addOverrideProperty("gateway.instance.folder", instanceName(p).replaceAll("[^A-Za-z0-9._-]", "-"));
        String egsQueuePrefix = p.getProperty("gateway.egs-queue-prefix", "zatca.egs.").trim();
        if (!egsQueuePrefix.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.")) {
            // the broker's settings for the EGS queues match "<prefix>#", and Artemis matches whole words between dots
            throw new IllegalArgumentException("gateway.egs-queue-prefix must be words ending with a dot, like zatca.egs. (was '"
                    + egsQueuePrefix + "')");
        }
        if (Boolean.parseBoolean(p.getProperty("gateway.broker.embedded", "true").trim())) {
            context.addService(new EmbeddedBroker(p.getProperty("gateway.broker.data-dir", "data/artemis").trim(),
                    p.getProperty("gateway.broker.tcp-acceptor", ""), egsQueuePrefix), true, true);
        }
        // the read locks' repository releases locks on a thread of its own, gateway.intake.lock-release-delay after their
        // file left the inbox; started and stopped with the context (after the routes), so that a stop releases them all
        SharedIdempotentRepository fileLocks = context.getRegistry().lookupByNameAndType("intakeFileLocks", SharedIdempotentRepository.class);
        if (fileLocks != null) {
            context.addService(fileLocks, true, true);
        }
        GatewayServices services = new GatewayServices(p);
        context.addService(services, true, true);
        context.getRegistry().bind("gateway", services);
        context.getRegistry().bind("intake", intake(context.getPropertiesComponent(), p, services));
        // the inbox folder's read lock and archive move (processStrategy of the intake-folder route)
        @SuppressWarnings("unchecked")
        SharedReadLock<java.io.File> inboxReadLock = context.getRegistry().lookupByNameAndType("inboxReadLock", SharedReadLock.class);
        if (inboxReadLock != null) {
            context.getRegistry().bind("inboxArchive",
                    new InboxArchive(inboxReadLock, Path.of(context.resolvePropertyPlaceholders("{{gateway.path.archive}}"))));
        }
        // the files each folder or SFTP consumer has taken and not yet finished (InProgressFiles: Camel's default
        // slows down for good after 100,000 file names)
        for (String name : List.of("inboxInProgress", "sftpInProgress", "replayInProgress")) {
            context.getRegistry().bind(name, InProgressFiles.create(InProgressFiles.DEFAULT_MAX));
        }
        // the intake-folder route's threads: beyond the backlog the poller waits for room (IntakeThreads)
        context.getRegistry().bind("intakeThreads", IntakeThreads.create(context, "intake",
                Integer.parseInt(context.resolvePropertyPlaceholders("{{gateway.intake.threads}}").trim()),
                Integer.parseInt(context.resolvePropertyPlaceholders("{{gateway.intake.backlog:16}}").trim())));
        HealthCheckRegistry.get(context).register(new EgsCertificatesHealthCheck(services));
        ChainBeans chain = chain(context, p, services);
        Webhooks webhooks = Webhooks.from(p);
        context.getRegistry().bind("webhooks", webhooks);
        context.getRegistry().bind("chain", chain);
        boolean chainEnabled = Boolean.parseBoolean(p.getProperty("gateway.chain.enabled", "true").trim());
        // once the EGS units are loaded: one webhook route per subscription (template webhook) and one chain route per
        // EGS unit (template egs-chain), then the status gauges
        context.addStartupListener(new org.apache.camel.StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) throws Exception {
                for (String name : webhooks.subscriptions().keySet()) {
                    org.apache.camel.builder.TemplatedRouteBuilder.builder(ctx, "webhook").routeId("webhook-" + name)
                            .parameter("name", name).add();
                }
                if (!chainEnabled) {
                    return;
                }
                chain.store();
                BrokerQueues.Access broker = BrokerQueues.Access.of(p);
                String prefix = egsQueuePrefix;
                // one consumer per EGS across every gateway instance: the broker must hold each EGS queue exclusive
                BrokerQueues.ensureExclusive(broker, services.context().egs().keySet().stream().map(e -> prefix + e).toList());
                for (String egs : services.context().egs().keySet()) {
                    org.apache.camel.builder.TemplatedRouteBuilder.builder(ctx, "egs-chain").routeId("chain-" + egs)
                            .parameter("egs", egs).add();
                }
                io.micrometer.core.instrument.MeterRegistry registry = ctx.getRegistry()
                        .findSingleByType(io.micrometer.core.instrument.MeterRegistry.class);
                if (registry != null) {
                    new ChainMetrics(chain, broker, prefix, List.copyOf(services.context().egs().keySet())).register(registry);
                }
            }
        });
        HawtioConsole hawtio = hawtio(p);
        if (hawtio != null) {
            context.addService(hawtio, true, true);
            context.getRegistry().bind("hawtio", hawtio);
        }
    }

    /** Working folders as absolute paths ({@code gateway.path.<name>}, for the routes), inbox sub-folders per format. */
    static IntakeBeans intake(PropertiesComponent pc, Properties p, GatewayServices services) throws java.io.IOException {
        Map<String, Path> paths = new java.util.LinkedHashMap<>();
        for (String name : List.of("inbox", "archive", "error", "duplicates")) {
            Path dir = Path.of(p.getProperty("gateway." + name, "data/" + name).trim()).toAbsolutePath().normalize();
            Files.createDirectories(dir);
            paths.put(name, dir);
            pc.addOverrideProperty("gateway.path." + name, dir.toString());
        }
        Map<String, IntakeFormat> formats = IntakeFormat.all(p);
        for (String f : formats.keySet()) {
            Files.createDirectories(paths.get("inbox").resolve(f));
        }
        int maxBytes = Integer.parseInt(p.getProperty("gateway.intake.max-bytes", String.valueOf(SecureXml.DEFAULT_MAX_BYTES)).trim());
        Intake intake = new Intake(formats, new EgsAddressing(() -> services.context().egs().values()), maxBytes);
        return new IntakeBeans(intake, new ErrorFolder(paths.get("error")), new ErrorFolder(paths.get("duplicates")));
    }

    /** The chain and submission beans, with the outbox, rejected and replay folders ({@code gateway.path.*}). */
    static ChainBeans chain(CamelContext context, Properties p, GatewayServices services) throws java.io.IOException {
        Map<String, Path> paths = new java.util.LinkedHashMap<>();
        for (String name : List.of("outbox", "rejected", "replay")) {
            Path dir = Path.of(p.getProperty("gateway." + name, "data/" + name).trim()).toAbsolutePath().normalize();
            Files.createDirectories(dir);
            paths.put(name, dir);
            context.getPropertiesComponent().addOverrideProperty("gateway.path." + name, dir.toString());
        }
        boolean force = Boolean.parseBoolean(p.getProperty("gateway.outbox.fsync", "true").trim());
        return new ChainBeans(context, services, new io.zatcagateway.chain.Outbox(paths.get("outbox"), force),
                new io.zatcagateway.chain.Outbox(paths.get("rejected"), force),
                java.time.Duration.ofMillis(Long.parseLong(p.getProperty("gateway.submit.timeout", "30000").trim())),
                java.time.Duration.parse(p.getProperty("gateway.reporting.deadline-warning", "PT4H").trim()))
                .instance(instanceName(p), java.time.Duration.parse(p.getProperty("gateway.chain.writer-timeout", "PT30S").trim()));
    }

    /** {@code gateway.instance}, or host name and process id: names the instance in logs and in the chain's history. */
    static String instanceName(Properties p) {
        String name = p.getProperty("gateway.instance", "").trim();
        if (!name.isEmpty()) {
            return name;
        }
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + "/" + ProcessHandle.current().pid();
    }

    /**
     * The console, or null when switched off. Its password: {@code ZGW_HAWTIO_PASSWORD}, else
     * {@code gateway.hawtio.password}; at least 12 characters. The demo profile without one gets a random password in
     * {@code data/hawtio.password} (owner-only); outside the demo profile a missing or short password keeps the console
     * off, with an error that names the key.
     */
    static HawtioConsole hawtio(Properties p) throws java.io.IOException {
        if (!Boolean.parseBoolean(p.getProperty("gateway.hawtio.enabled", "true").trim())) {
            return null;
        }
        String user = p.getProperty("gateway.hawtio.user", "admin").trim();
        String password = System.getenv("ZGW_HAWTIO_PASSWORD");
        if (password == null || password.isBlank()) {
            password = p.getProperty("gateway.hawtio.password", "").trim();
        }
        boolean demo = Boolean.parseBoolean(p.getProperty("gateway.demo", "false").trim());
        if (password.isEmpty() && demo) {
            Path file = Path.of(p.getProperty("gateway.hawtio.password-file", "data/hawtio.password").trim());
            if (!Files.isRegularFile(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                byte[] random = new byte[18];
                new java.security.SecureRandom().nextBytes(random);
                Files.writeString(file, java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random));
                try {
                    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system
                }
            }
            password = Files.readString(file).trim();
            org.slf4j.LoggerFactory.getLogger(HawtioConsole.class).info("Hawtio demo login: user '{}', password in {}", user, file);
        }
        if (password.length() < 12) {
            org.slf4j.LoggerFactory.getLogger(HawtioConsole.class).error("Hawtio is off: set a password of at least 12 characters in "
                    + "ZGW_HAWTIO_PASSWORD or gateway.hawtio.password (or gateway.hawtio.enabled=false)");
            return null;
        }
        return new HawtioConsole(p.getProperty("gateway.hawtio.host", "127.0.0.1").trim(),
                Integer.parseInt(p.getProperty("gateway.hawtio.port", "8090").trim()),
                Path.of(p.getProperty("gateway.hawtio.webapp", "target/hawtio/webapp").trim()), user, password);
    }

    /** The {@code gateway.*} and {@code simulator.*} settings, with override and -D values applied. */
    static Properties settings(PropertiesComponent pc) {
        Properties p = new Properties();
        p.putAll(pc.loadProperties(k -> k.startsWith("gateway.") || k.startsWith("simulator.")));
        Properties initial = null;
        Properties overrides = null;
        if (pc instanceof org.apache.camel.component.properties.PropertiesComponent impl) {
            initial = impl.getInitialProperties();
            overrides = impl.getOverrideProperties();
        }
        for (Properties layer : new Properties[] {initial, overrides, System.getProperties()}) {
            if (layer != null) {
                for (String k : layer.stringPropertyNames()) {
                    if (k.startsWith("gateway.") || k.startsWith("simulator.")) {
                        p.setProperty(k, layer.getProperty(k));
                    }
                }
            }
        }
        return p;
    }
}
