package org.medledger.protocol.emrauth;

import java.util.Optional;

/**
 * Persistence the public cloud needs, at the byte level: everything handed over is already
 * sealed or keyed by the PC (erratum 7), so the store never sees identities or secrets in
 * clear. The server backs it with JPA; {@link InMemoryPublicCloudStore} serves tests.
 */
public interface PublicCloudStore {

    /** Remembers a sealed issued partial secret (the PC needs {@code S_D} for eq. 28/30). */
    void putIssuedSecret(String role, String id, byte[] sealed);

    Optional<byte[]> issuedSecret(String role, String id);

    /** Index entry: {@code HMAC(k_index, ID_P‖ID_DE)} ↦ AEAD-sealed {@code (ID_HPC, ID_D)}. */
    void putIndex(byte[] lookupHandle, byte[] sealedValue);

    Optional<byte[]> index(byte[] lookupHandle);
}
