package org.medledger.custody;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Locale;
import java.util.Optional;

import org.medledger.platform.DomainException;
import org.medledger.protocol.common.SecretBytes;

/**
 * The hospital private clouds' key store ({@code wildfly-config/configure-hospital-keystore.cli}):
 * the {@link Pkcs12Vault} named {@code hospital}. Each hospital served here keeps one entry,
 * {@code hpc:<ID_HPC>} (EMR-AUTH) or {@code ih:<ID_H>} (INTER-HOSPITAL), written once by the
 * hospital at its registration. The vault keeps an entry unlocked once read (reloaded when the
 * store file changes); each caller gets its own copy to destroy.
 */
@ApplicationScoped
public class HospitalKeyStore {

    private final Pkcs12Vault vault;

    public HospitalKeyStore() {
        this(Pkcs12Vault.named("hospital"));
    }

    HospitalKeyStore(Pkcs12Vault vault) {
        this.vault = vault;
    }

    /** The vault itself, for entries of other kinds (record-wrapping keys). */
    public Pkcs12Vault vault() {
        return vault;
    }

    public Optional<SecretBytes> hospitalKeys(String hospitalId) throws DomainException {
        return vault.secret(alias(hospitalId));
    }

    public void putHospitalKeys(String hospitalId, byte[] encoded) throws DomainException {
        vault.put(alias(hospitalId), encoded);
    }

    /** The keys of a hospital served here in INTER-HOSPITAL (entry {@code ih:<ID_H>}). */
    public Optional<SecretBytes> interHospitalKeys(String hospitalId) throws DomainException {
        return vault.secret("ih:" + hospitalId.toLowerCase(Locale.ROOT));
    }

    public void putInterHospitalKeys(String hospitalId, byte[] encoded) throws DomainException {
        vault.put("ih:" + hospitalId.toLowerCase(Locale.ROOT), encoded);
    }

    @PreDestroy
    void wipe() {
        vault.forget();
    }

    private static String alias(String hospitalId) {
        return "hpc:" + hospitalId.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "HospitalKeyStore[redacted]";
    }
}
