package org.medledger.consortium;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.medledger.ledger.codec.Canonical;
import org.medledger.ledger.codec.CanonicalReader;
import org.medledger.ledger.log.SignedTreeHead;

/**
 * A tree head as the consortium vouches for it: the producing node's signed tree head and the
 * co-signatures of hospital witnesses over the same (size, root). It counts only when
 * {@link WitnessPolicy} finds a quorum of valid, distinct, non-refused witnesses.
 */
public record WitnessedTreeHead(SignedTreeHead head, List<Cosignature> cosignatures) {
    private static final String LABEL = "MEDLEDGER/witnessed-tree-head/v1";

    public WitnessedTreeHead {
        Objects.requireNonNull(head);
        cosignatures = List.copyOf(cosignatures);
    }

    public long treeSize() {
        return head.treeSize();
    }

    public byte[] encode() {
        Canonical c = Canonical.label(LABEL).bytes(head.encode()).u64(cosignatures.size());
        cosignatures.forEach(x -> c.bytes(x.encode()));
        return c.toBytes();
    }

    public static WitnessedTreeHead decode(byte[] b) {
        CanonicalReader r = new CanonicalReader(b).expectLabel(LABEL);
        SignedTreeHead head = SignedTreeHead.decode(r.bytes());
        long n = r.u64();
        if (n > 1000) {
            throw new ConsortiumException(ConsortiumReason.MALFORMED, "too many co-signatures");
        }
        List<Cosignature> cs = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            cs.add(Cosignature.decode(r.bytes()));
        }
        r.expectEnd();
        return new WitnessedTreeHead(head, cs);
    }
}
