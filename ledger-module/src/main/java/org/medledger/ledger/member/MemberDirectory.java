package org.medledger.ledger.member;

import java.util.Optional;

import org.medledger.ledger.LedgerException;
import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.state.StateKey;
import org.medledger.ledger.state.StateReader;

/**
 * Resolves a member's certificate from world state ({@value #NS_MEMBER}, written only by the
 * member contract after it verified the KGC's signature) or from the trust anchors (the KGC).
 */
public final class MemberDirectory {
    public static final String NS_MEMBER = "member";
    public static final String NS_REVOKED = "member-revoked";
    /**
     * Prefix of the {@value #NS_REVOKED} mark a re-registration under a new key writes (the mark
     * cannot be deleted): a mark with it means "revoked once, registered again", not revoked.
     */
    public static final String REINSTATED = "reinstated:";

    /** Whether a {@value #NS_REVOKED} mark (as read from state) means the member is revoked now. */
    public static boolean isRevoked(Optional<Bytes> mark) {
        return mark.isPresent() && !mark.get().utf8().startsWith(REINSTATED);
    }

    private final TrustAnchors anchors;

    public MemberDirectory(TrustAnchors anchors) {
        this.anchors = anchors;
    }

    public TrustAnchors anchors() {
        return anchors;
    }

    /** The member's certificate if it is registered, not revoked, and valid at {@code at}. */
    public MemberCertificate active(String memberId, long at, StateReader state) {
        if (memberId.equals(anchors.kgcId())) {
            return new MemberCertificate(memberId, Role.KGC, anchors.kgcPublicKey(), Long.MIN_VALUE, Long.MAX_VALUE, Bytes.EMPTY);
        }
        Optional<Bytes> enc = state.value(new StateKey(NS_MEMBER, memberId));
        if (enc.isEmpty()) {
            throw new LedgerException(LedgerReason.UNKNOWN_MEMBER, "member " + memberId + " is not registered");
        }
        MemberCertificate cert = MemberCertificate.decode(enc.get());
        if (isRevoked(state.value(new StateKey(NS_REVOKED, memberId)))) {
            throw new LedgerException(LedgerReason.MEMBER_NOT_ACTIVE, "member " + memberId + " is revoked");
        }
        if (!cert.validAt(at)) {
            throw new LedgerException(LedgerReason.MEMBER_NOT_ACTIVE, "certificate of " + memberId + " not valid at " + at);
        }
        return cert;
    }
}
