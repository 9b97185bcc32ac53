package org.medledger.custody;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Optional;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.medledger.platform.DomainException;
import org.medledger.protocol.common.SecretBytes;

/**
 * A server party's secrets in a PKCS#12 key store file whose location comes from a system property
 * set by a {@code wildfly-config/configure-*-keystore.cli} script and whose password is kept in the
 * server's Elytron credential store ({@link CredentialStorePasswords}). Secrets are read per use and
 * handed out as {@link SecretBytes} the caller destroys; they are written by their owner (the
 * party generates its keys and puts them here), never into a database column.
 *
 * <p>One type, named instances: {@link #named(String)} gives the vault configured under
 * {@code medledger.<name>.keystore.path}, its password under the credential alias {@code <name>-keystore}.
 */
public final class Pkcs12Vault {

    private static final Object WRITE_LOCK = new Object();

    private final String name;
    private final PasswordSource passwords;

    private Pkcs12Vault(String name, PasswordSource passwords) {
        this.name = name;
        this.passwords = passwords;
    }

    public static Pkcs12Vault named(String name) {
        return new Pkcs12Vault(name, CredentialStorePasswords.INSTANCE);
    }

    /** With another password source (tests). */
    public static Pkcs12Vault named(String name, PasswordSource passwords) {
        return new Pkcs12Vault(name, passwords);
    }

    private String pathProperty() {
        return "medledger." + name + ".keystore.path";
    }

    private String credentialAlias() {
        return name + "-keystore";
    }

    /** The secret under {@code alias}, if present. */
    public Optional<SecretBytes> secret(String alias) throws DomainException {
        KeyStore ks = load();
        char[] password = password();
        try {
            if (!ks.isKeyEntry(alias)) {
                return Optional.empty();
            }
            if (ks.getKey(alias, password) instanceof SecretKey k) {
                byte[] raw = k.getEncoded();
                try {
                    return Optional.of(SecretBytes.copyOf(raw));
                } finally {
                    Arrays.fill(raw, (byte) 0);
                }
            }
            throw unavailable("entry " + alias + " is not a secret entry");
        } catch (GeneralSecurityException e) {
            throw unavailable("entry " + alias + " cannot be read");
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /**
     * Which version of the store file is on disk now (a SHA-256 of its bytes; {@code "absent"}
     * without a file): a holder of unlocked entries reloads when it changes. Hashing the few
     * kilobytes of the file is cheap next to opening it (PBKDF2), and unlike a modification time it
     * sees every change.
     */
    public Object stamp() throws DomainException {
        Path file = path();
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(file)));
        } catch (java.nio.file.NoSuchFileException e) {
            return "absent";
        } catch (IOException | GeneralSecurityException e) {
            throw unavailable("the " + name + " key store cannot be read");
        }
    }

    /** Writes {@code secret} under {@code alias}, replacing an older entry, and stores the file atomically. */
    public void put(String alias, byte[] secret) throws DomainException {
        synchronized (WRITE_LOCK) {
            KeyStore ks = load();
            char[] password = password();
            try {
                ks.setEntry(alias, new KeyStore.SecretKeyEntry(new SecretKeySpec(secret, "AES")),
                        new KeyStore.PasswordProtection(password));
                Path file = path();
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                Files.deleteIfExists(tmp);
                ownerOnly(tmp);
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    ks.store(out, password);
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | GeneralSecurityException e) {
                throw unavailable("the " + name + " key store cannot be written");
            } finally {
                Arrays.fill(password, '\0');
            }
        }
    }

    /** Creates {@code file} readable and writable by its owner only (where the file system has POSIX modes). */
    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
    }

    private KeyStore load() throws DomainException {
        Path file = path();
        char[] password = password();
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    ks.load(in, password);
                }
            } else {
                ks.load(null, password);
            }
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw unavailable("the " + name + " key store cannot be opened");
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private Path path() throws DomainException {
        String p = System.getProperty(pathProperty());
        if (p == null || p.isBlank()) {
            throw unavailable("the " + name + " key store is not configured (" + pathProperty() + ")");
        }
        return Path.of(p);
    }

    private char[] password() throws DomainException {
        try {
            return passwords.password(credentialAlias());
        } catch (DomainException e) {
            throw unavailable("the " + name + " key store password is unavailable");
        }
    }

    private DomainException unavailable(String detail) {
        return new DomainException(DomainException.Kind.UNAVAILABLE, name.toUpperCase(java.util.Locale.ROOT) + "_KEY_UNAVAILABLE",
                detail);
    }

    @Override
    public String toString() {
        return "Pkcs12Vault[" + name + "]";
    }
}
