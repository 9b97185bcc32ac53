package org.medledger.custody;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.Destroyable;

import org.medledger.platform.DomainException;
import org.medledger.protocol.common.SecretBytes;

/**
 * A server party's keys in a PKCS#12 key store file whose location comes from a system property
 * set by a {@code wildfly-config/configure-*-keystore.cli} script and whose password is kept in the
 * server's Elytron credential store ({@link CredentialStorePasswords}). This is the one key-store
 * type of the server: the KGC's stores ({@link KgcKeyStore}), the hospital store
 * ({@link HospitalKeyStore}, CLOUD-CHAIN's entries) are named instances of it.
 *
 * <p>One type, named instances: {@link #named(String)} gives the vault configured under
 * {@code medledger.<name>.keystore.path}, its password under the credential alias {@code <name>-keystore}.
 *
 * <p>Opening the store and an entry costs password-based key derivations (PBKDF2), too much for a
 * request: an entry, once unlocked, is kept in memory as a {@link Destroyable} of the caller's
 * choosing ({@link #unlocked}) and each caller gets its own copy to destroy. What is kept belongs
 * to one version of the store file (a SHA-256 of its bytes): every use compares the file's
 * attributes (size, modification and change time, file key) with those seen when it was hashed,
 * and only when they differ reads and hashes it again; when its content changed (another writer,
 * a restore, a rotation by IT) the kept entries are destroyed and read again. The change time
 * moves with every write and cannot be set back, so a rewrite that keeps size and modification
 * time is still seen. Lookups of kept entries take no lock. A wrong password or an unreadable file fails closed on every use; nothing is kept from a
 * failed open. Kept entries never reach a log, a {@code toString} or an exception message.
 */
public final class Pkcs12Vault {

    private static final Object WRITE_LOCK = new Object();

    /** The vaults of this deployment by name: one set of kept entries per store. */
    private static final Map<String, Pkcs12Vault> SHARED = new ConcurrentHashMap<>();

    private final String name;
    private final PasswordSource passwords;
    private volatile Kept kept = new Kept("none", null);
    /** How often the store file was read and hashed (tests). */
    private final java.util.concurrent.atomic.AtomicLong fileReads = new java.util.concurrent.atomic.AtomicLong();

    /** What has been unlocked from one version of the store file. */
    private static final class Kept {
        final String stamp;
        /** The file's attributes when it was last hashed to {@link #stamp} (null: check by hashing). */
        volatile String attributes;
        /** The file's bytes (encrypted; read once per version); null when there is no file. */
        final byte[] file;
        final Map<String, Destroyable> entries = new ConcurrentHashMap<>();
        /** The opened (MAC-checked) store; entries in it stay encrypted until asked for. */
        KeyStore store;

        Kept(String stamp, byte[] file) {
            this.stamp = stamp;
            this.file = file;
        }

        void destroy() {
            entries.values().forEach(Pkcs12Vault::destroyQuietly);
            entries.clear();
        }
    }

    /** Turns one opened key-store entry into what is kept of it. */
    @FunctionalInterface
    public interface Unlocker<T extends Destroyable> {
        T unlock(KeyStore.Entry entry) throws DomainException;
    }

    private Pkcs12Vault(String name, PasswordSource passwords) {
        this.name = name;
        this.passwords = passwords;
    }

    /** The vault {@code name} of this deployment (one per name, so its unlocked entries are kept once). */
    public static Pkcs12Vault named(String name) {
        return SHARED.computeIfAbsent(name, n -> new Pkcs12Vault(n, CredentialStorePasswords.INSTANCE));
    }

    /** A vault of its own with another password source (tests). */
    public static Pkcs12Vault named(String name, PasswordSource passwords) {
        return new Pkcs12Vault(name, passwords);
    }

    public String name() {
        return name;
    }

    private String pathProperty() {
        return "medledger." + name + ".keystore.path";
    }

    private String credentialAlias() {
        return name + "-keystore";
    }

    /** A copy of the secret under {@code alias}, if present; the caller destroys it. */
    public Optional<SecretBytes> secret(String alias) throws DomainException {
        return unlocked(alias, SecretBytes.class, entry -> {
            if (entry instanceof KeyStore.SecretKeyEntry s) {
                SecretKey k = s.getSecretKey();
                byte[] raw = k.getEncoded();
                try {
                    return SecretBytes.copyOf(raw);
                } finally {
                    Arrays.fill(raw, (byte) 0);
                }
            }
            throw unavailable("entry " + alias + " is not a secret entry");
        }, SecretBytes::copy);
    }

    /**
     * A copy of the entry under {@code alias} as {@code unlock} makes it, unlocked at most once per
     * version of the store file and kept; {@code copy} gives each caller its own (the caller destroys
     * it). Different {@code type}s may be kept of one alias (e.g. a private key and a master secret).
     */
    public <T extends Destroyable> Optional<T> unlocked(String alias, Class<T> type, Unlocker<T> unlock, UnaryOperator<T> copy)
            throws DomainException {
        String key = alias + '\u0000' + type.getName();
        while (true) {
            Kept k = current();
            Destroyable d = k.entries.get(key);
            if (d == null) {
                synchronized (this) {
                    if (k != kept) {
                        continue; // the file changed meanwhile
                    }
                    d = k.entries.get(key);
                    if (d == null) {
                        Optional<KeyStore.Entry> entry = entry(k, alias);
                        if (entry.isEmpty()) {
                            return Optional.empty();
                        }
                        T made = unlock.unlock(entry.get());
                        k.entries.put(key, made);
                        d = made;
                    }
                }
            }
            try {
                return Optional.of(copy.apply(type.cast(d)));
            } catch (IllegalStateException destroyedMeanwhile) {
                // the file changed and this kept entry was wiped while being copied: read the new one
            }
        }
    }

    /** The certificate under {@code alias} (public), if present. */
    public Optional<X509Certificate> certificate(String alias) throws DomainException {
        Kept k = current();
        synchronized (this) {
            try {
                return store(k).getCertificate(alias) instanceof X509Certificate x ? Optional.of(x) : Optional.empty();
            } catch (GeneralSecurityException e) {
                throw unavailable("the " + name + " key store cannot be read");
            }
        }
    }

    /** The aliases in the store now. */
    public List<String> aliases() throws DomainException {
        Kept k = current();
        synchronized (this) {
            try {
                return List.copyOf(Collections.list(store(k).aliases()));
            } catch (GeneralSecurityException e) {
                throw unavailable("the " + name + " key store cannot be read");
            }
        }
    }

    /**
     * Which version of the store file is on disk now (a SHA-256 of its bytes; {@code "absent"}
     * without a file). Hashing the few kilobytes of the file is cheap next to opening it (PBKDF2),
     * and unlike a modification time it sees every change.
     */
    public Object stamp() throws DomainException {
        return current().stamp;
    }

    /** Writes {@code secret} under {@code alias}, replacing an older entry, and stores the file atomically. */
    public void put(String alias, byte[] secret) throws DomainException {
        write(alias, new KeyStore.SecretKeyEntry(new SecretKeySpec(secret, "AES")));
    }

    /** Writes {@code entry} (e.g. a private key with its certificate) under {@code alias}, replacing an older one. */
    public void putEntry(String alias, KeyStore.Entry entry) throws DomainException {
        write(alias, entry);
    }

    /** Deletes the entry under {@code alias} (a retired key); absent is fine. */
    public void remove(String alias) throws DomainException {
        write(alias, null);
    }

    private void write(String alias, KeyStore.Entry entry) throws DomainException {
        synchronized (WRITE_LOCK) {
            Kept before = current();
            char[] password = password();
            byte[] written;
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(before.file == null ? null : new ByteArrayInputStream(before.file), password);
                if (entry == null) {
                    if (ks.containsAlias(alias)) {
                        ks.deleteEntry(alias);
                    }
                } else {
                    ks.setEntry(alias, entry, entry instanceof KeyStore.TrustedCertificateEntry ? null
                            : new KeyStore.PasswordProtection(password));
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ks.store(out, password);
                written = out.toByteArray();
                Path file = path();
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                Files.deleteIfExists(tmp);
                ownerOnly(tmp);
                try (OutputStream o = Files.newOutputStream(tmp)) {
                    o.write(written);
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | GeneralSecurityException e) {
                throw unavailable("the " + name + " key store cannot be written");
            } finally {
                Arrays.fill(password, '\0');
            }
            synchronized (this) {
                // the other entries are unchanged by this write: keep them, drop only the one replaced
                Kept next = new Kept(stamp(written), written);
                Kept now = kept;
                if (now == before) {
                    String prefix = alias + '\u0000';
                    now.entries.forEach((key, value) -> {
                        if (!key.startsWith(prefix)) {
                            next.entries.put(key, value);
                        }
                    });
                    now.entries.keySet().removeIf(key -> !key.startsWith(prefix));
                }
                kept = next;
                now.destroy();
            }
        }
    }

    /** Destroys every kept entry (the application stops); later uses unlock again. */
    public synchronized void forget() {
        Kept old = kept;
        kept = new Kept("none", null);
        old.destroy();
    }

    /** The kept state of the file on disk now, replacing (and destroying) an older one. */
    private Kept current() throws DomainException {
        Path file = path();
        // attributes first: a change between them and the read below shows as a difference next time
        String attributes = attributes(file);
        Kept k = kept;
        if (attributes != null && attributes.equals(k.attributes)) {
            return k;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
            fileReads.incrementAndGet();
        } catch (java.nio.file.NoSuchFileException e) {
            bytes = null;
        } catch (IOException e) {
            throw unavailable("the " + name + " key store cannot be read");
        }
        String stamp = bytes == null ? "absent" : stamp(bytes);
        k = kept;
        if (k.stamp.equals(stamp)) {
            k.attributes = attributes;
            return k;
        }
        synchronized (this) {
            k = kept;
            if (!k.stamp.equals(stamp)) {
                Kept old = k;
                k = new Kept(stamp, bytes);
                k.attributes = attributes;
                kept = k;
                old.destroy();
            }
            return k;
        }
    }

    /**
     * The store file's size, modification and change times and file key, or {@code null} when they
     * cannot be read (absent file, no such attributes): then the file is hashed on every use.
     */
    private static String attributes(Path file) {
        try {
            Map<String, Object> a = Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,ino,dev");
            return a.get("size") + "/" + a.get("lastModifiedTime") + "/" + a.get("ctime") + "/" + a.get("ino") + "/" + a.get("dev");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            try {
                java.nio.file.attribute.BasicFileAttributes b = Files.readAttributes(file,
                        java.nio.file.attribute.BasicFileAttributes.class);
                return b.fileKey() == null ? null : b.size() + "/" + b.lastModifiedTime() + "/" + b.fileKey();
            } catch (IOException x) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
    }

    private static String stamp(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    /** The entry under {@code alias} of {@code k}'s file, decrypted with the store password (caller holds this). */
    private Optional<KeyStore.Entry> entry(Kept k, String alias) throws DomainException {
        KeyStore ks = store(k);
        try {
            if (!ks.containsAlias(alias)) {
                return Optional.empty();
            }
            if (ks.isCertificateEntry(alias)) {
                return Optional.of(ks.getEntry(alias, null));
            }
            char[] password = password();
            try {
                return Optional.of(ks.getEntry(alias, new KeyStore.PasswordProtection(password)));
            } finally {
                Arrays.fill(password, '\0');
            }
        } catch (GeneralSecurityException e) {
            throw unavailable("entry " + alias + " of the " + name + " key store cannot be read");
        }
    }

    /** {@code k}'s file opened (its MAC checked with the store password), once per version (caller holds this). */
    private KeyStore store(Kept k) throws DomainException {
        if (k.store != null) {
            return k.store;
        }
        char[] password = password();
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(k.file == null ? null : new ByteArrayInputStream(k.file), password);
            k.store = ks;
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw unavailable("the " + name + " key store cannot be opened");
        } finally {
            Arrays.fill(password, '\0');
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

    private static void destroyQuietly(Destroyable d) {
        try {
            d.destroy();
        } catch (javax.security.auth.DestroyFailedException | RuntimeException e) {
            // a JCA key that cannot be wiped: dropped with the rest
        }
    }

    private DomainException unavailable(String detail) {
        return new DomainException(DomainException.Kind.UNAVAILABLE,
                name.toUpperCase(Locale.ROOT).replace('-', '_') + "_KEY_UNAVAILABLE", detail);
    }

    @Override
    public String toString() {
        return "Pkcs12Vault[" + name + "]";
    }

    /** For tests: how many times the store file was read and hashed. */
    long fileReads() {
        return fileReads.get();
    }

    /** For tests: how many entries are kept unlocked now. */
    int keptCount() {
        return kept.entries.size();
    }
}
