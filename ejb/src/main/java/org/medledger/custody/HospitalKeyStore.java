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

    private static String alias(String hospitalId) {
        return "hpc:" + hospitalId.toLowerCase(java.util.Locale.ROOT);
    }
}
