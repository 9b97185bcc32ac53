package org.medledger.ledger.member;

import java.util.List;
import java.util.Objects;

import org.medledger.ledger.LedgerException;
import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.crypto.SignatureScheme;

/**
 * What a verifier must know out of band: the KGC's id and signing key, and the KGC-issued
 * certificates of the block producers (they sign block 0, before any registration exists).
 */
public record TrustAnchors(String kgcId, Bytes kgcPublicKey, List<MemberCertificate> producers) {
    private static final String LABEL = "MEDLEDGER/trust-anchors/v1";

    public TrustAnchors {
        Objects.requireNonNull(kgcId, "kgcId is required");
        Objects.requireNonNull(kgcPublicKey, "kgcPublicKey is required");
        producers = List.copyOf(producers);
    }

    /** Checks every producer certificate against the KGC key and role. */
    public TrustAnchors validated(SignatureScheme scheme) {
        if (!scheme.isValidPublicKey(kgcPublicKey.toArray())) {
            throw new LedgerException(LedgerReason.MALFORMED, "KGC public key is not a valid key");
        }
        for (MemberCertificate p : producers) {
            if (p.role() != Role.BLOCK_PRODUCER || !p.verify(kgcPublicKey, scheme)) {
                throw new LedgerException(LedgerReason.BAD_SIGNATURE, "producer certificate " + p.memberId() + " not issued by the KGC");
            }
        }
        return this;
    }

    public byte[] encode() {
        org.medledger.ledger.codec.Canonical c = org.medledger.ledger.codec.Canonical.label(LABEL)
                .str(kgcId).bytes(kgcPublicKey.toArray()).u64(producers.size());
        producers.forEach(p -> c.bytes(p.encode().toArray()));
        return c.toBytes();
    }

    public static TrustAnchors decode(byte[] encoded) {
        org.medledger.ledger.codec.CanonicalReader r = new org.medledger.ledger.codec.CanonicalReader(encoded).expectLabel(LABEL);
        String id = r.str();
        Bytes key = Bytes.of(r.bytes());
        long n = r.u64();
        java.util.List<MemberCertificate> ps = new java.util.ArrayList<>();
        for (long i = 0; i < n && i < 1000; i++) {
            ps.add(MemberCertificate.decode(Bytes.of(r.bytes())));
        }
        r.expectEnd();
        return new TrustAnchors(id, key, ps);
    }

    public MemberCertificate producer(String id, long at) {
        for (MemberCertificate p : producers) {
            if (p.memberId().equals(id)) {
                if (!p.validAt(at)) {
                    throw new LedgerException(LedgerReason.MEMBER_NOT_ACTIVE, "producer " + id + " not valid at " + at);
                }
                return p;
            }
        }
        throw new LedgerException(LedgerReason.UNKNOWN_MEMBER, "unknown producer " + id);
    }
}
