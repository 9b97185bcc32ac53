package org.medledger.protocol.abe;

import java.util.Objects;

import org.medledger.protocol.common.ContentId;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.pairing.PairingGroup;

/**
 * The patient's authorization letter (seed 003, Fig. 3 step 1): the access policy the
 * patient allows for one record, its validity, and the patient's IBS signature over both.
 * Submitted to the ledger's pending pool and sent to the hospital.
 */
public record AuthorizationLetter(RecordDescriptor descriptor, AccessPolicy policy, long issuedAt, long expiresAt,
                                  IbsSignature patientSignature) {

    static final String LABEL = "ABE-CHAIN/AuthorizationLetter/v1";
    static final String SIGNED_LABEL = "ABE-CHAIN/AuthorizationLetter/signed/v1";

    public AuthorizationLetter {
        Objects.requireNonNull(descriptor, "descriptor is required");
        Objects.requireNonNull(policy, "policy is required");
        Objects.requireNonNull(patientSignature, "patient signature is required");
        if (expiresAt <= issuedAt) {
            throw new IllegalArgumentException("the letter must expire after it is issued");
        }
    }

    /** The bytes the patient signs: descriptor, canonical policy, validity. */
    static byte[] signedBytes(RecordDescriptor descriptor, AccessPolicy policy, long issuedAt, long expiresAt) {
        return LabelledEncoder.of(SIGNED_LABEL).nested(descriptor.encoder()).utf8(policy.canonical())
                .int64(issuedAt).int64(expiresAt).toByteArray();
    }

    byte[] signedBytes() {
        return signedBytes(descriptor, policy, issuedAt, expiresAt);
    }

    /**
     * The letter's identity for the pending pool and the ledger ({@code letterId} of the
     * {@code authorization-letter} call): SHA-256 of what the patient signed, hex. Never the
     * signature: anyone can re-randomize an IBS signature into another valid one, so a pool
     * keyed on {@code σ_P} would count one letter as many.
     */
    public String id() {
        return org.bouncycastle.util.encoders.Hex.toHexString(ContentId.of(LabelledEncoder.of(ID_LABEL).bytes(signedBytes())).digest());
    }

    static final String ID_LABEL = "ABE-CHAIN/AuthorizationLetter/id/v1";

    public byte[] toBytes() {
        return LabelledEncoder.of(LABEL).bytes(descriptor.toBytes()).utf8(policy.canonical()).int64(issuedAt)
                .int64(expiresAt).bytes(patientSignature.toBytes()).toByteArray();
    }

    public static AuthorizationLetter decode(PairingGroup group, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        RecordDescriptor descriptor = RecordDescriptor.decode(d.bytes());
        String text = d.utf8();
        AccessPolicy policy = AccessPolicy.parse(text);
        if (!policy.canonical().equals(text)) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "letter policy is not in canonical form");
        }
        long issuedAt = d.int64();
        long expiresAt = d.int64();
        IbsSignature sig = IbsSignature.decode(group, d.bytes());
        d.finish();
        if (expiresAt <= issuedAt) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "letter validity is empty");
        }
        return new AuthorizationLetter(descriptor, policy, issuedAt, expiresAt, sig);
    }
}
