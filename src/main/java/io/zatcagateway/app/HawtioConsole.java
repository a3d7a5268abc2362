package io.zatcagateway.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.Principal;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;
import org.apache.camel.support.service.ServiceSupport;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hawtio web console at {@code http://<host>:<port>/hawtio}, on an embedded Jetty, showing this JVM's Camel routes
 * and the broker through the application's Jolokia. Login is required: one account from configuration, checked by
 * a JAAS login module; the password is compared in constant time and never logged.
 */
public final class HawtioConsole extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(HawtioConsole.class);
    static final String REALM = "zatca-gateway";
    static final String ROLE = "admin";

    private static volatile String user;
    private static volatile byte[] password;

    private final String host;
    private final int port;
    private final Path webapp;
    private Server server;

    public HawtioConsole(String host, int port, Path webapp, String user, String password) {
        this.host = host;
        this.port = port;
        this.webapp = webapp;
        HawtioConsole.user = user;
        HawtioConsole.password = password.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    protected void doStart() throws Exception {
        if (!Files.isRegularFile(webapp.resolve("index.html"))) {
            LOG.error("Hawtio is not started: its web application is not at {} (it is unpacked by 'mvn package'; set gateway.hawtio.webapp)", webapp);
            return;
        }
        System.setProperty("hawtio.authenticationEnabled", "true");
        System.setProperty("hawtio.realm", REALM);
        System.setProperty("hawtio.roles", ROLE);
        System.setProperty("hawtio.rolePrincipalClasses", Role.class.getName());
        System.setProperty("hawtio.offline", "true");
        Configuration.setConfiguration(new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return REALM.equals(name) ? new AppConfigurationEntry[] {new AppConfigurationEntry(Login.class.getName(),
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of())} : null;
            }
        });
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        WebAppContext ctx = new WebAppContext();
        ctx.setContextPath("/hawtio");
        ctx.setWar(webapp.toAbsolutePath().toString());
        ctx.setParentLoaderPriority(true);
        // Hawtio 4.2 is compiled against Jolokia 2.1 (bundled in its WEB-INF/lib); the application runs Jolokia 2.5, whose
        // serializer API differs. The console's class loader therefore does not see the application's Jolokia.
        ctx.setClassLoader(new org.eclipse.jetty.ee10.webapp.WebAppClassLoader(new WithoutJolokia(HawtioConsole.class.getClassLoader()), ctx));
        ctx.setThrowUnavailableOnStartupException(true);
        server.setHandler(ctx);
        server.start();
        LOG.info("Hawtio console: http://{}:{}/hawtio (login '{}')", host, connector.getLocalPort(), user);
    }

    public int port() {
        return server == null ? -1 : ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    @Override
    protected void doStop() throws Exception {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /**
     * The application's class loader minus its Jolokia classes and Jolokia service files, as the parent of the console's
     * web application, so that Hawtio uses the Jolokia it was built with and both never mix.
     */
    static final class WithoutJolokia extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        WithoutJolokia(ClassLoader parent) {
            super("hawtio-parent", parent);
        }

        private static boolean hidden(String name) {
            return name.startsWith("org.jolokia.") || name.startsWith("org/jolokia/") || name.startsWith("META-INF/jolokia/");
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (hidden(name)) {
                throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
        }

        @Override
        public java.net.URL getResource(String name) {
            return hidden(name) ? null : super.getResource(name);
        }

        @Override
        public java.util.Enumeration<java.net.URL> getResources(String name) throws java.io.IOException {
            return hidden(name) ? java.util.Collections.emptyEnumeration() : super.getResources(name);
        }
    }

    /** The role principal Hawtio looks for ({@code hawtio.rolePrincipalClasses}). */
    public record Role(String getName) implements Principal {
    }

    /** The user principal of a logged-in administrator. */
    public record User(String getName) implements Principal {
    }

    /** JAAS login module of the realm: the configured account, nothing else. */
    public static final class Login implements LoginModule {
        private Subject subject;
        private CallbackHandler handler;
        private String name;

        @Override
        public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> sharedState, Map<String, ?> options) {
            this.subject = subject;
            this.handler = handler;
        }

        @Override
        public boolean login() throws LoginException {
            NameCallback n = new NameCallback("user");
            PasswordCallback p = new PasswordCallback("password", false);
            try {
                handler.handle(new Callback[] {n, p});
            } catch (Exception e) {
                throw new LoginException("cannot read the credentials");
            }
            char[] given = p.getPassword() == null ? new char[0] : p.getPassword();
            byte[] bytes = new String(given).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            p.clearPassword();
            boolean ok = user != null && user.equals(n.getName()) & MessageDigest.isEqual(bytes, password);
            java.util.Arrays.fill(bytes, (byte) 0);
            if (!ok) {
                LOG.warn("Hawtio login refused for user '{}'", n.getName());
                throw new FailedLoginException("wrong user or password");
            }
            name = n.getName();
            return true;
        }

        @Override
        public boolean commit() {
            subject.getPrincipals().add(new User(name));
            subject.getPrincipals().add(new Role(ROLE));
            return true;
        }

        @Override
        public boolean abort() {
            name = null;
            return true;
        }

        @Override
        public boolean logout() {
            subject.getPrincipals().removeIf(x -> x instanceof User || x instanceof Role);
            return true;
        }
    }
}
