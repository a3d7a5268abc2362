package io.zatcagateway.egs;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Private keys and CSID secrets at rest: one file per EGS and environment, {@code <root>/<environment>/<egs>.vault},
 * AES-256-GCM with a key derived from the vault password by PBKDF2-HMAC-SHA256 (310,000 rounds, random salt per write).
 * The password comes from {@code ZGW_VAULT_PASSWORD} or from a file readable by its owner only. Files are written
 * atomically with owner-only permissions. Nothing here logs or prints what it stores.
 */
public final class KeyVault {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] MAGIC = "ZGWVAULT1".getBytes(StandardCharsets.US_ASCII);
    private static final int ROUNDS = 310_000;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path root;
    private final char[] password;
    private final SecureRandom random = new SecureRandom();

    public KeyVault(Path root, char[] password) {
        if (password == null || password.length < 8) {
            throw new IllegalArgumentException("the vault password must have at least 8 characters");
        }
        this.root = root;
        this.password = password.clone();
    }

    /**
     * The password from the environment variable {@code ZGW_VAULT_PASSWORD}, else from {@code passwordFile}, which
     * must exist and be readable by its owner only (checked: no group or other permission bits).
     */
    public static char[] password(Path passwordFile) throws IOException {
        String env = System.getenv("ZGW_VAULT_PASSWORD");
        if (env != null && !env.isEmpty()) {
            return env.toCharArray();
        }
        if (passwordFile == null || !Files.isRegularFile(passwordFile)) {
            throw new IOException("no vault password: set ZGW_VAULT_PASSWORD or gateway.vault.password-file (a file readable by its owner only)");
        }
        checkOwnerOnly(passwordFile);
        String s = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
        if (s.isEmpty()) {
            throw new IOException(passwordFile + " is empty");
        }
        return s.toCharArray();
    }

    /** Refuses files that group or others may read or write. */
    public static void checkOwnerOnly(Path file) throws IOException {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            for (PosixFilePermission p : perms) {
                if (!p.name().startsWith("OWNER")) {
                    throw new IOException(file + " has permissions " + PosixFilePermissions.toString(perms)
                            + "; it must be readable by its owner only (chmod 600 " + file + ")");
                }
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
    }

    /** Creates a password file with a random password (owner-only), unless it exists; used by the demo. */
    public static void createPasswordFileIfAbsent(Path file) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        Files.writeString(file, java.util.Base64.getEncoder().encodeToString(b), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        setOwnerOnly(file);
    }

    public Path file(String environment, String egs) {
        return root.resolve(environment).resolve(egs + ".vault");
    }

    public boolean exists(String environment, String egs) {
        return Files.isRegularFile(file(environment, egs));
    }

    /** Reads an EGS's secrets; null when it has none yet. */
    public EgsSecrets read(String environment, String egs) throws IOException {
        Path f = file(environment, egs);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        checkOwnerOnly(f);
        byte[] all = Files.readAllBytes(f);
        if (all.length < MAGIC.length + 16 + 12 + 16 || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
            throw new IOException(f + " is not a zatca-gateway vault file");
        }
        ByteBuffer in = ByteBuffer.wrap(all, MAGIC.length, all.length - MAGIC.length);
        byte[] salt = new byte[16];
        byte[] iv = new byte[12];
        in.get(salt).get(iv);
        byte[] sealed = new byte[in.remaining()];
        in.get(sealed);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key(salt), new GCMParameterSpec(128, iv));
            c.updateAAD((environment + "/" + egs).getBytes(StandardCharsets.UTF_8));
            return JSON.readValue(c.doFinal(sealed), EgsSecrets.class);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IOException(f + " cannot be opened: wrong vault password, or the file belongs to another EGS or environment");
        } catch (GeneralSecurityException e) {
            throw new IOException(f + " cannot be decrypted: " + e.getMessage());
        }
    }

    /** Writes an EGS's secrets atomically (a new file renamed over the old one), owner-only. */
    public void write(String environment, String egs, EgsSecrets secrets) throws IOException {
        Path f = file(environment, egs);
        Files.createDirectories(f.getParent());
        byte[] salt = new byte[16];
        byte[] iv = new byte[12];
        random.nextBytes(salt);
        random.nextBytes(iv);
        byte[] plain = JSON.writeValueAsBytes(secrets);
        byte[] sealed;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key(salt), new GCMParameterSpec(128, iv));
            c.updateAAD((environment + "/" + egs).getBytes(StandardCharsets.UTF_8));
            sealed = c.doFinal(plain);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encrypt the vault: " + e.getMessage(), e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        setOwnerOnly(tmp);
        try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(MAGIC));
            ch.write(ByteBuffer.wrap(salt));
            ch.write(ByteBuffer.wrap(iv));
            ch.write(ByteBuffer.wrap(sealed));
            ch.force(true);
        }
        try {
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private SecretKeySpec key(byte[] salt) throws GeneralSecurityException {
        byte[] k = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(new PBEKeySpec(password, salt, ROUNDS, 256)).getEncoded();
        return new SecretKeySpec(k, "AES");
    }

    private static void setOwnerOnly(Path f) throws IOException {
        try {
            Files.setPosixFilePermissions(f, OWNER_ONLY);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }
}
