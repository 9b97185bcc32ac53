package org.medledger.cloudchain;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.medledger.custody.Pkcs12Vault;
import org.medledger.platform.DomainException;
import org.medledger.protocol.common.SecretBytes;

/**
 * CLOUD-CHAIN's entries in the hospital key store ({@code configure-hospital-keystore.cli}; the
 * medical centers and the cloud server are the hospital cloud): {@code cc-mc:<PID_j>} (the
 * center's keys and its copy of {@code KMS_j}), {@code cc-cs-kms:<PID_j>} (the cloud server's copy
 * of {@code KMS_j}) and {@code cc-cs} (the cloud server's ledger and record keys).
 *
 * <p>An entry is read from the key store (PKCS#12, PBKDF2) at its first use and then kept unlocked
 * in this bean for the deployment's life, so a server call no longer pays the key store's key
 * derivations; an entry written here replaces the kept one. Callers get a copy they destroy after
 * the call, as before. The kept entries are held only as {@link SecretBytes} (never logged,
 * printed or rendered) and wiped when the application stops. Absent entries are not remembered.
 */
@ApplicationScoped
public class CloudChainVault {

    private final Pkcs12Vault vault;

    /** Unlocked entries by alias; read without a lock (concurrent calls do not queue behind each other). */
    private final ConcurrentHashMap<String, SecretBytes> unlocked = new ConcurrentHashMap<>();

    public CloudChainVault() {
        this(Pkcs12Vault.named("hospital"));
    }

    /** Over another vault (tests). */
    CloudChainVault(Pkcs12Vault vault) {
        this.vault = vault;
    }

    Optional<SecretBytes> center(String pid) throws DomainException {
        return read("cc-mc:" + pid);
    }

    void putCenter(String pid, byte[] encoded) throws DomainException {
        write("cc-mc:" + pid, encoded);
    }

    Optional<SecretBytes> cloudServerKms(String pid) throws DomainException {
        return read("cc-cs-kms:" + pid);
    }

    void putCloudServerKms(String pid, byte[] kms) throws DomainException {
        write("cc-cs-kms:" + pid, kms);
    }

    Optional<SecretBytes> cloudServer() throws DomainException {
        return read("cc-cs");
    }

    void putCloudServer(byte[] encoded) throws DomainException {
        write("cc-cs", encoded);
    }

    private Optional<SecretBytes> read(String alias) throws DomainException {
        Optional<SecretBytes> kept = copyOfKept(alias);
        if (kept.isPresent()) {
            return kept;
        }
        // first use: open the key store, keep what it holds (a concurrent first use keeps one of the two)
        Optional<SecretBytes> stored = vault.secret(alias);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        SecretBytes earlier = unlocked.putIfAbsent(alias, stored.get());
        if (earlier != null) {
            stored.get().destroy();
        }
        return copyOfKept(alias);
    }

    private void write(String alias, byte[] secret) throws DomainException {
        vault.put(alias, secret);
        SecretBytes replaced = unlocked.put(alias, SecretBytes.copyOf(secret));
        if (replaced != null) {
            replaced.destroy();
        }
    }

    private Optional<SecretBytes> copyOfKept(String alias) {
        while (true) {
            SecretBytes k = unlocked.get(alias);
            if (k == null) {
                return Optional.empty();
            }
            byte[] b;
            try {
                b = k.reveal();
            } catch (IllegalStateException replacedMeanwhile) {
                continue; // a write replaced (and wiped) this entry: read the new one
            }
            try {
                return Optional.of(SecretBytes.copyOf(b));
            } finally {
                Arrays.fill(b, (byte) 0);
            }
        }
    }

    @PreDestroy
    void wipe() {
        unlocked.values().forEach(SecretBytes::destroy);
        unlocked.clear();
    }

    @Override
    public String toString() {
        return "CloudChainVault[hospital key store]";
    }
}
