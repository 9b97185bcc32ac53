package org.medledger.consent;

import org.medledger.ledger.codec.Canonical;

/**
 * The proof of possession of a patient's consent key: the key's signature over the canonical
 * encoding of {@value #LABEL}, the patient, the key (SEC1 compressed) and the signing time.
 */
public final class ConsentKeyProof {
    static final String LABEL = "MEDLEDGER/consent-key/v1";

    private ConsentKeyProof() {
    }

    /** The bytes a patient's key signs to prove possession. */
    public static byte[] message(String patientId, byte[] publicKey, long signedAt) {
        return Canonical.label(LABEL).str(patientId).bytes(publicKey).u64(signedAt).toBytes();
    }
}
