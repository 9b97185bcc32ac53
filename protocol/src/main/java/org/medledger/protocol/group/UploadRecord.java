package org.medledger.protocol.group;

import java.util.Arrays;
import java.util.Objects;

import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * The upload message C_1..C_4 to the block transformation system (seed 004 §III-C):
 * {@code C = S_SK_X(m_X, Sig_X, s_X, T_X, H(r_X))}, i.e. the fields below with the outer
 * signature over all of them. {@code receiver} is {@code patient:<id>} for EHR and EMR and
 * {@code group:<GID>} for PHR and APHR (the PHR's patient key is replaced by the group id).
 *
 * @param brief         m_X, the public (brief) information
 * @param sensitive     s_X, the encrypted sensitive information
 * @param signature     Sig_X = S_SK_X(m_X, s_X)
 * @param timestamp     T_X, epoch milliseconds
 * @param rHash         H(r_X)
 * @param outer         the outer signature making C
 */
public record UploadRecord(RecordKind kind, String producer, String receiver, byte[] brief, byte[] sensitive,
                           byte[] signature, long timestamp, byte[] rHash, byte[] outer) {

    static final String LABEL = "GROUP-AGG/UploadRecord/v1";
    static final int MAX_BODY = 1 << 20;

    public UploadRecord {
        Objects.requireNonNull(kind, "kind is required");
        GroupRoster.requireId(producer);
        GroupRoster.requireId(receiver);
        brief = Objects.requireNonNull(brief, "m_X is required").clone();
        sensitive = Objects.requireNonNull(sensitive, "s_X is required").clone();
        signature = Objects.requireNonNull(signature, "Sig_X is required").clone();
        rHash = Objects.requireNonNull(rHash, "H(r_X) is required").clone();
        outer = Objects.requireNonNull(outer, "outer signature is required").clone();
    }

    @Override
    public byte[] brief() {
        return brief.clone();
    }

    @Override
    public byte[] sensitive() {
        return sensitive.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public byte[] rHash() {
        return rHash.clone();
    }

    @Override
    public byte[] outer() {
        return outer.clone();
    }

    /** Sig_X covers (m_X, s_X)  (seed 004 §III-C). */
    static LabelledEncoder innerSigned(RecordKind kind, String producer, String receiver, byte[] brief, byte[] sensitive) {
        return LabelledEncoder.of("GROUP-AGG/" + kind + "/Sig").utf8(producer).utf8(receiver).bytes(brief).bytes(sensitive);
    }

    /** C covers (m_X, Sig_X, s_X, T_X, H(r_X))  (seed 004 §III-C). */
    static LabelledEncoder outerSigned(RecordKind kind, String producer, String receiver, byte[] brief, byte[] signature,
                                       byte[] sensitive, long timestamp, byte[] rHash) {
        return LabelledEncoder.of("GROUP-AGG/" + kind + "/C").utf8(producer).utf8(receiver).bytes(brief).bytes(signature)
                .bytes(sensitive).int64(timestamp).bytes(rHash);
    }

    LabelledEncoder innerSigned() {
        return innerSigned(kind, producer, receiver, brief, sensitive);
    }

    LabelledEncoder outerSigned() {
        return outerSigned(kind, producer, receiver, brief, signature, sensitive, timestamp, rHash);
    }

    public byte[] toBytes() {
        return LabelledEncoder.of(LABEL).utf8(kind.name()).utf8(producer).utf8(receiver).bytes(brief).bytes(sensitive)
                .bytes(signature).int64(timestamp).bytes(rHash).bytes(outer).toByteArray();
    }

    public static UploadRecord decode(byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        RecordKind kind;
        try {
            kind = RecordKind.valueOf(d.utf8());
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "unknown record kind");
        }
        String producer = d.utf8();
        String receiver = d.utf8();
        byte[] brief = d.boundedBytes(MAX_BODY);
        byte[] sensitive = d.boundedBytes(MAX_BODY);
        byte[] signature = d.boundedBytes(512);
        long timestamp = d.int64();
        byte[] rHash = d.bytes(CheckValues.LENGTH);
        byte[] outer = d.boundedBytes(512);
        d.finish();
        try {
            return new UploadRecord(kind, producer, receiver, brief, sensitive, signature, timestamp, rHash, outer);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "invalid upload record");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UploadRecord r && Arrays.equals(toBytes(), r.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }

    @Override
    public String toString() {
        return "UploadRecord[" + kind + " by " + producer + " for " + receiver + " at " + timestamp + "]";
    }
}
