package org.medledger.custody;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

import org.medledger.platform.DomainException;
import org.medledger.protocol.common.SecretBytes;

/**
 * The hospital private clouds' key store ({@code wildfly-config/configure-hospital-keystore.cli}):
 * the {@link Pkcs12Vault} named {@code hospital}. Each hospital served here keeps one entry,
 * {@code hpc:<ID_HPC>}, written once by the hospital at its registration.
 */
@ApplicationScoped
public class HospitalKeyStore {

    private final Pkcs12Vault vault = Pkcs12Vault.named("hospital");

    public Optional<SecretBytes> hospitalKeys(String hospitalId) throws DomainException {
        return vault.secret(alias(hospitalId));
    }

    public void putHospitalKeys(String hospitalId, byte[] encoded) throws DomainException {
        vault.put(alias(hospitalId), encoded);
    }

    /** The keys of a hospital served here in INTER-HOSPITAL (entry {@code ih:<ID_H>}). */
    public Optional<SecretBytes> interHospitalKeys(String hospitalId) throws DomainException {
        return vault.secret("ih:" + hospitalId.toLowerCase(java.util.Locale.ROOT));
    }

    public void putInterHospitalKeys(String hospitalId, byte[] encoded) throws DomainException {
        vault.put("ih:" + hospitalId.toLowerCase(java.util.Locale.ROOT), encoded);
    }

    private static String alias(String hospitalId) {
        return "hpc:" + hospitalId.toLowerCase(java.util.Locale.ROOT);
    }
}
