package org.medledger.cloudchain;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

import org.medledger.custody.Pkcs12Vault;
import org.medledger.platform.DomainException;
import org.medledger.protocol.common.SecretBytes;

/**
 * CLOUD-CHAIN's entries in the hospital key store ({@code configure-hospital-keystore.cli}; the
 * medical centers and the cloud server are the hospital cloud): {@code cc-mc:<PID_j>} (the
 * center's keys and its copy of {@code KMS_j}), {@code cc-cs-kms:<PID_j>} (the cloud server's copy
 * of {@code KMS_j}) and {@code cc-cs} (the cloud server's ledger and record keys).
 *
 * <p>The {@link Pkcs12Vault} keeps an entry unlocked once read (reloaded when the store file
 * changes), so a server call does not pay the key store's key derivations; callers get a copy
 * they destroy after the call.
 */
@ApplicationScoped
public class CloudChainVault {

    private final Pkcs12Vault vault;

    public CloudChainVault() {
        this(Pkcs12Vault.named("hospital"));
    }

    /** Over another vault (tests). */
    CloudChainVault(Pkcs12Vault vault) {
        this.vault = vault;
    }

    Optional<SecretBytes> center(String pid) throws DomainException {
        return vault.secret("cc-mc:" + pid);
    }

    void putCenter(String pid, byte[] encoded) throws DomainException {
        vault.put("cc-mc:" + pid, encoded);
    }

    Optional<SecretBytes> cloudServerKms(String pid) throws DomainException {
        return vault.secret("cc-cs-kms:" + pid);
    }

    void putCloudServerKms(String pid, byte[] kms) throws DomainException {
        vault.put("cc-cs-kms:" + pid, kms);
    }

    Optional<SecretBytes> cloudServer() throws DomainException {
        return vault.secret("cc-cs");
    }

    void putCloudServer(byte[] encoded) throws DomainException {
        vault.put("cc-cs", encoded);
    }

    @PreDestroy
    void wipe() {
        vault.forget();
    }

    @Override
    public String toString() {
        return "CloudChainVault[hospital key store]";
    }
}
