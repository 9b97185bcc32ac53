package org.medledger.protocol.abe;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.pairing.PairingGroup;

import org.medledger.protocol.pairing.G1Element;
import org.medledger.protocol.pairing.G2Element;
import org.medledger.protocol.pairing.GtElement;

/**
 * CT = {(M, ρ), C0, C1, {(C2_i, C3_i)}_{i∈[1,l]}}  (seed 003, Encrypt_ATT). The matrix is not
 * carried: it is rebuilt deterministically from the canonical policy text, so the policy the
 * endorser compares is exactly the one the ciphertext is bound to.
 */
public record PolicyCiphertext(AccessPolicy policy, GtElement c0, G1Element c1, List<Row> rows) {

    /** (C2_i ∈ G1, C3_i ∈ G2) for LSSS row i. */
    public record Row(G1Element c2, G2Element c3) {
        public Row {
            Objects.requireNonNull(c2, "C2_i is required");
            Objects.requireNonNull(c3, "C3_i is required");
        }
    }

    public PolicyCiphertext {
        Objects.requireNonNull(policy, "policy is required");
        Objects.requireNonNull(c0, "C0 is required");
        Objects.requireNonNull(c1, "C1 is required");
        rows = List.copyOf(rows);
        if (rows.size() != policy.leaves().size()) {
            throw new IllegalArgumentException("one (C2, C3) pair per policy leaf is required");
        }
    }

    static final String LABEL = "ABE-CHAIN/PolicyCiphertext/v1";

    /** policy ‖ C0 ‖ C1 ‖ l ‖ (C2_1 ‖ C3_1) ‖ … ‖ (C2_l ‖ C3_l), labelled encoding. */
    public byte[] toBytes() {
        LabelledEncoder e = LabelledEncoder.of(LABEL)
                .utf8(policy.canonical())
                .bytes(c0.toBytes())
                .bytes(c1.toBytes())
                .int32(rows.size());
        for (Row r : rows) {
            e.bytes(r.c2().toBytes()).bytes(r.c3().toBytes());
        }
        return e.toByteArray();
    }

    /**
     * Strict decoding: the policy must be in canonical form, the row count must match it,
     * every element must be a valid subgroup element, and nothing may follow.
     */
    public static PolicyCiphertext decode(PairingGroup group, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        String text = d.utf8();
        AccessPolicy policy = AccessPolicy.parse(text);
        if (!policy.canonical().equals(text)) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "ciphertext policy is not in canonical form");
        }
        var c0 = group.decodeGt(d.bytes(group.gtLength()));
        var c1 = group.decodeG1(d.bytes(group.g1Length()));
        int l = d.int32();
        if (l != policy.leaves().size()) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "row count does not match the policy");
        }
        List<Row> rows = new ArrayList<>(l);
        for (int i = 0; i < l; i++) {
            rows.add(new Row(group.decodeG1(d.bytes(group.g1Length())), group.decodeG2(d.bytes(group.g2Length()))));
        }
        d.finish();
        return new PolicyCiphertext(policy, c0, c1, rows);
    }
}
