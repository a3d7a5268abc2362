package io.zatcagateway.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/** An ERP's SFTP drop for tests: an in-process SSH server (Apache MINA SSHD) on loopback serving one folder. */
public final class SftpDrop implements AutoCloseable {
    public static final String USER = "erp";
    public static final String PASSWORD = "s3cret-Sftp";
    /** The folder the server shows as its root. */
    public final Path root;
    private final Path dir;
    private final SshServer server;

    private SftpDrop(Path dir, Path root, SshServer server) {
        this.dir = dir;
        this.root = root;
        this.server = server;
    }

    /** Serves {@code dir/sftp-root}; host key and known-hosts file are kept in {@code dir}. */
    public static SftpDrop start(Path dir) throws IOException {
        Path root = Files.createDirectories(dir.resolve("sftp-root"));
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        sshd.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(dir.resolve("sftp-hostkey.ser")));
        sshd.setPasswordAuthenticator((user, password, session) -> USER.equals(user) && PASSWORD.equals(password));
        sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        sshd.setFileSystemFactory(new VirtualFileSystemFactory(root));
        sshd.start();
        return new SftpDrop(dir, root, sshd);
    }

    /** The gateway settings that poll this drop. */
    public Map<String, String> gatewaySettings() {
        return Map.of(
                "gateway.sftp.enabled", "true",
                "gateway.sftp.port", String.valueOf(server.getPort()),
                "gateway.sftp.username", USER,
                "gateway.sftp.password", PASSWORD,
                "gateway.sftp.strict-host-key-checking", "no",
                "gateway.sftp.known-hosts", dir.resolve("known_hosts").toString());
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }
}
