package org.medledger.custody;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.medledger.platform.DomainException;
import org.medledger.protocol.common.SecretBytes;

/**
 * The hospital private clouds' key store ({@code wildfly-config/configure-hospital-keystore.cli}):
 * the {@link Pkcs12Vault} named {@code hospital}. Each hospital served here keeps one entry,
 * {@code hpc:<ID_HPC>}, written once by the hospital at its registration.
 *
 * <p>Opening the store (its password-based MAC and the entry's password-based encryption) costs
 * two PBKDF2 runs, too much for every EMR search: an entry, once unlocked, stays in this bean's
 * memory for the server's life and each caller gets its own copy to destroy. The unlocked entries
 * are dropped and read again from the file when the store file changes (a registration here, a
 * restore or a rotation by hospital IT); they never reach a log, a {@code toString} or a page.
 */
@ApplicationScoped
public class HospitalKeyStore {

    private final Pkcs12Vault vault;
    /** Unlocked entries by alias, as read from the store file of {@link #stamp}. */
    private final Map<String, SecretBytes> unlocked = new HashMap<>();
    private Object stamp;

    public HospitalKeyStore() {
        this(Pkcs12Vault.named("hospital"));
    }

    HospitalKeyStore(Pkcs12Vault vault) {
        this.vault = vault;
    }

    public Optional<SecretBytes> hospitalKeys(String hospitalId) throws DomainException {
        return secret(alias(hospitalId));
    }

    public void putHospitalKeys(String hospitalId, byte[] encoded) throws DomainException {
        put(alias(hospitalId), encoded);
    }

    /** The keys of a hospital served here in INTER-HOSPITAL (entry {@code ih:<ID_H>}). */
    public Optional<SecretBytes> interHospitalKeys(String hospitalId) throws DomainException {
        return secret("ih:" + hospitalId.toLowerCase(java.util.Locale.ROOT));
    }

    public void putInterHospitalKeys(String hospitalId, byte[] encoded) throws DomainException {
        put("ih:" + hospitalId.toLowerCase(java.util.Locale.ROOT), encoded);
    }

    /** A copy of the unlocked entry under {@code alias} (the caller destroys it), unlocking it once per store file. */
    private synchronized Optional<SecretBytes> secret(String alias) throws DomainException {
        Object now = vault.stamp();
        if (!now.equals(stamp)) {
            forget();
            stamp = now;
        }
        SecretBytes s = unlocked.get(alias);
        if (s == null) {
            Optional<SecretBytes> read = vault.secret(alias);
            if (read.isEmpty()) {
                return Optional.empty();
            }
            s = read.get();
            unlocked.put(alias, s);
        }
        byte[] copy = s.reveal();
        try {
            return Optional.of(SecretBytes.copyOf(copy));
        } finally {
            java.util.Arrays.fill(copy, (byte) 0);
        }
    }

    private synchronized void put(String alias, byte[] encoded) throws DomainException {
        try {
            vault.put(alias, encoded);
        } finally {
            forget();
            stamp = null;
        }
    }

    private void forget() {
        unlocked.values().forEach(SecretBytes::destroy);
        unlocked.clear();
    }

    private static String alias(String hospitalId) {
        return "hpc:" + hospitalId.toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return "HospitalKeyStore[redacted]";
    }
}
