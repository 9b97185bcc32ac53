package org.medledger.protocol.interhospital;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.medledger.protocol.common.ContentId;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.VerificationKey;

/**
 * The patient-signed authorization {@code S_SK_PAT(ID_HPB, record ids, expiry)} that lets
 * hospital {@code holderId} release the listed records to {@code recipientId}
 * (PROTOCOLS.md §3; erratum 3).
 */
public record ReleaseAuthorization(String patientId, String recipientId, String holderId, List<String> diagnosisIds,
                                   long expiresAt, byte[] signature) {

    static final String LABEL = "INTER-HOSPITAL/authorization";

    public ReleaseAuthorization {
        Objects.requireNonNull(patientId, "Patient id is required.");
        Objects.requireNonNull(recipientId, "Recipient hospital is required.");
        Objects.requireNonNull(holderId, "Holding hospital is required.");
        diagnosisIds = List.copyOf(diagnosisIds);
        if (diagnosisIds.isEmpty()) {
            throw new IllegalArgumentException("At least one record id is required.");
        }
        signature = Objects.requireNonNull(signature, "Signature is required.").clone();
    }

    static LabelledEncoder signedPart(String patientId, String recipientId, String holderId, List<String> ids, long expiresAt) {
        return Contracts.list(LabelledEncoder.of(LABEL + "/signed").utf8(patientId).utf8(recipientId).utf8(holderId), ids).int64(expiresAt);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /**
     * Verifies the patient's signature.
     *
     * @return the authorization's identity: its signed body, never the signature
     */
    public ContentId verify(VerificationKey patientKey) throws ProtocolException {
        return Ecdsa.verify(patientKey, signedPart(patientId, recipientId, holderId, diagnosisIds, expiresAt), signature);
    }

    /**
     * SHA-256 of the signed body (what the patient signed, not the signature: a malleated or
     * re-signed copy has the same digest), recorded on the ledger with the transfer.
     */
    public byte[] digest() {
        return ContentId.of(signedPart(patientId, recipientId, holderId, diagnosisIds, expiresAt)).digest();
    }

    public byte[] encode() {
        return Contracts.list(LabelledEncoder.of(LABEL).utf8(patientId).utf8(recipientId).utf8(holderId), diagnosisIds)
                .int64(expiresAt).bytes(signature).toByteArray();
    }

    public static ReleaseAuthorization decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        String p = d.utf8();
        String r = d.utf8();
        String h = d.utf8();
        List<String> ids = Contracts.readList(d);
        long exp = d.int64();
        byte[] sig = d.bytes(Ecdsa.signatureLength(curve));
        d.finish();
        if (ids.isEmpty()) {
            throw new ProtocolException(org.medledger.protocol.common.Reason.MALFORMED_MESSAGE, "no record ids");
        }
        return new ReleaseAuthorization(p, r, h, ids, exp, sig);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReleaseAuthorization a && Arrays.equals(a.encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }
}
