package org.medledger.client.emrauth;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Optional;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.Destroyable;

import org.medledger.protocol.common.SecretBytes;

/**
 * A party's secrets on its own device: one password-protected PKCS#12 file (mode 600), entries
 * by name (protocol keys, partial key, {@code B_P}, ledger key, pinned trust). Nothing in it is
 * ever sent anywhere; the password comes from the environment or a prompt and is wiped after use.
 */
public final class DeviceStore implements Destroyable {

    private final Path file;
    private final char[] password;

    private DeviceStore(Path file, char[] password) {
        this.file = file;
        this.password = password.clone();
    }

    public static DeviceStore open(Path file, char[] password) {
        return new DeviceStore(file, password);
    }

    public Path file() {
        return file;
    }

    public boolean exists() {
        return Files.exists(file);
    }

    public Optional<SecretBytes> get(String name) throws IOException {
        KeyStore ks = load();
        try {
            if (!ks.isKeyEntry(name)) {
                return Optional.empty();
            }
            if (ks.getKey(name, password) instanceof SecretKey k) {
                byte[] raw = k.getEncoded();
                try {
                    return Optional.of(SecretBytes.copyOf(raw));
                } finally {
                    Arrays.fill(raw, (byte) 0);
                }
            }
            throw new IOException("entry " + name + " is not a secret entry");
        } catch (GeneralSecurityException e) {
            throw new IOException("the device key store cannot be read (wrong password?)");
        }
    }

    public SecretBytes require(String name) throws IOException {
        return get(name).orElseThrow(() -> new IOException("the device key store has no " + name
                + " (run `medledger register` first)"));
    }

    public void put(String name, byte[] value) throws IOException {
        KeyStore ks = load();
        try {
            ks.setEntry(name, new KeyStore.SecretKeyEntry(new SecretKeySpec(value, "AES")), new KeyStore.PasswordProtection(password));
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                ks.store(out, password);
            }
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the password still protects the entries
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (GeneralSecurityException e) {
            throw new IOException("the device key store cannot be written");
        }
    }

    private KeyStore load() throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    ks.load(in, password);
                } catch (IOException e) {
                    // PKCS#12 reports a wrong password as an I/O error; say so without its internals
                    throw new IOException("the device key store cannot be opened (wrong password?)");
                }
            } else {
                ks.load(null, password);
            }
            return ks;
        } catch (GeneralSecurityException e) {
            throw new IOException("the device key store cannot be opened (wrong password?)");
        }
    }

    @Override
    public void destroy() {
        Arrays.fill(password, '\0');
    }

    @Override
    public boolean isDestroyed() {
        return false;
    }

    @Override
    public String toString() {
        return "DeviceStore[" + file + "]";
    }
}
