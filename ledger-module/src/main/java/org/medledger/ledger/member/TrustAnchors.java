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
