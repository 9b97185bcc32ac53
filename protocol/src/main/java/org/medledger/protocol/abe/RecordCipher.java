package org.medledger.protocol.abe;

import java.security.SecureRandom;

import org.medledger.protocol.common.Aead;
import org.medledger.protocol.common.AssociatedData;
import org.medledger.protocol.common.Kdf;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.pairing.GtElement;

/**
 * The DEM half of the hybrid record encryption: data key = HKDF(enc(m) ‖ descriptor),
 * body = AES-256-GCM with associated data naming the record, its hospital and the policy.
 */
final class RecordCipher {

    static final String DEK_LABEL = "ABE-CHAIN/record/DEK";
    static final String AEAD_LABEL = "ABE-CHAIN/record/body";

    private RecordCipher() {
    }

    private static SecretBytes dataKey(GtElement m, RecordDescriptor descriptor) {
        // DEK = HKDF(enc(m), descriptor)  (PROTOCOLS.md §4, hybrid KEM/DEM)
        return Kdf.deriveKey(LabelledEncoder.of(DEK_LABEL).bytes(m.toBytes()).nested(descriptor.encoder()));
    }

    private static AssociatedData associatedData(RecordDescriptor descriptor, AccessPolicy policy) {
        return new AssociatedData(AEAD_LABEL + "/" + descriptor.recordId(), descriptor.hospitalId(),
                "policy:" + policy.canonical(), 0L);
    }

    static SealedRecord seal(CombinedScheme scheme, AccessPolicy policy, RecordDescriptor descriptor, byte[] record,
                             SecureRandom random) {
        GtElement m = scheme.randomMessage();
        PolicyCiphertext kem = scheme.encrypt(policy, m);
        SecretBytes key = dataKey(m, descriptor);
        try {
            return new SealedRecord(kem, Aead.seal(key, associatedData(descriptor, policy), record, random));
        } finally {
            key.destroy();
        }
    }

    static byte[] open(CombinedScheme scheme, AttributeKey attributeKey, RecordDescriptor descriptor, SealedRecord sealed)
            throws ProtocolException {
        GtElement m = scheme.decrypt(attributeKey, sealed.kem());
        SecretBytes key = dataKey(m, descriptor);
        try {
            return Aead.open(key, associatedData(descriptor, sealed.policy()), sealed.body());
        } finally {
            key.destroy();
        }
    }
}
