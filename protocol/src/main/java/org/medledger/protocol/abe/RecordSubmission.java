package org.medledger.protocol.abe;

import java.util.Objects;

import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.pairing.PairingGroup;

/**
 * What the hospital submits to the ledger's pending pool (seed 003, Fig. 3 step 2): the
 * record descriptor, the sealed record and the hospital's IBS signature over both.
 */
public record RecordSubmission(RecordDescriptor descriptor, SealedRecord sealed, IbsSignature hospitalSignature) {

    static final String LABEL = "ABE-CHAIN/RecordSubmission/v1";
    static final String SIGNED_LABEL = "ABE-CHAIN/RecordSubmission/signed/v1";

    public RecordSubmission {
        Objects.requireNonNull(descriptor, "descriptor is required");
        Objects.requireNonNull(sealed, "sealed record is required");
        Objects.requireNonNull(hospitalSignature, "hospital signature is required");
    }

    /** The bytes the hospital signs: descriptor and the whole sealed record (policy included). */
    static byte[] signedBytes(RecordDescriptor descriptor, SealedRecord sealed) {
        return LabelledEncoder.of(SIGNED_LABEL).nested(descriptor.encoder()).bytes(sealed.toBytes()).toByteArray();
    }

    byte[] signedBytes() {
        return signedBytes(descriptor, sealed);
    }

    /**
     * The submission's identity for the pending pool: SHA-256 of what the hospital signed, hex;
     * never the (re-randomizable) IBS signature.
     */
    public String id() {
        return org.bouncycastle.util.encoders.Hex.toHexString(
                org.medledger.protocol.common.ContentId.of(LabelledEncoder.of(ID_LABEL).bytes(signedBytes())).digest());
    }

    static final String ID_LABEL = "ABE-CHAIN/RecordSubmission/id/v1";

    public byte[] toBytes() {
        return LabelledEncoder.of(LABEL).bytes(descriptor.toBytes()).bytes(sealed.toBytes())
                .bytes(hospitalSignature.toBytes()).toByteArray();
    }

    public static RecordSubmission decode(PairingGroup group, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        RecordDescriptor descriptor = RecordDescriptor.decode(d.bytes());
        SealedRecord sealed = SealedRecord.decode(group, d.bytes());
        IbsSignature sig = IbsSignature.decode(group, d.bytes());
        d.finish();
        return new RecordSubmission(descriptor, sealed, sig);
    }
}
