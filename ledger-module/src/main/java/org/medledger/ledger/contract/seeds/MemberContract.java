package org.medledger.ledger.contract.seeds;

import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.contract.ContractException;
import org.medledger.ledger.contract.EndorsementPolicy;
import org.medledger.ledger.contract.FunctionTable;
import org.medledger.ledger.crypto.SignatureScheme;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.ledger.member.MemberDirectory;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.member.TrustAnchors;

/**
 * Member registration, revocation and re-registration. A certificate is accepted only with the
 * KGC's signature over it and the KGC's endorsement of the transaction; only then can the member
 * submit. A revoked member registers again only under a new key ({@code reregister}: the
 * recovery path of a member whose key was lost or was never its own); the old certificate stays
 * in the chain's history, and a later revocation revokes the new one.
 */
public final class MemberContract extends FunctionTable {
    public static final String NAME = "member";

    public MemberContract(TrustAnchors anchors, SignatureScheme scheme) {
        super(NAME);
        EndorsementPolicy kgc = EndorsementPolicy.endorsedByRole(Role.KGC);
        function("register", kgc, (call, state) -> {
            MemberCertificate cert = certified(call, anchors, scheme);
            insertOnce(state, MemberDirectory.NS_MEMBER, cert.memberId(), cert.encode());
        });
        function("revoke", kgc, (call, state) -> {
            String id = call.args().string("memberId");
            requireExists(state, MemberDirectory.NS_MEMBER, id);
            if (MemberDirectory.isRevoked(state.read(MemberDirectory.NS_REVOKED, id))) {
                throw new ContractException(LedgerReason.ALREADY_EXISTS, MemberDirectory.NS_REVOKED + " " + id + " already exists");
            }
            state.write(MemberDirectory.NS_REVOKED, id, Bytes.utf8(Long.toString(call.timestamp())));
        });
        function("reregister", kgc, (call, state) -> {
            MemberCertificate cert = certified(call, anchors, scheme);
            String id = cert.memberId();
            MemberCertificate previous = MemberCertificate.decode(requireExists(state, MemberDirectory.NS_MEMBER, id));
            if (!MemberDirectory.isRevoked(state.read(MemberDirectory.NS_REVOKED, id))) {
                throw new ContractException(LedgerReason.NOT_AUTHORIZED, "member " + id + " is not revoked: it registers again only after a revocation");
            }
            if (previous.role() != cert.role()) {
                throw new ContractException(LedgerReason.NOT_AUTHORIZED, "member " + id + " registers again in its own role only");
            }
            if (previous.publicKey().equals(cert.publicKey())) {
                throw new ContractException(LedgerReason.NOT_AUTHORIZED, "member " + id + " registers again only under a new key");
            }
            state.write(MemberDirectory.NS_MEMBER, id, cert.encode());
            state.write(MemberDirectory.NS_REVOKED, id, Bytes.utf8(MemberDirectory.REINSTATED + call.timestamp()));
        });
    }

    /** The call's certificate, signed by the KGC and not claiming the KGC's identity or role. */
    private static MemberCertificate certified(org.medledger.ledger.contract.Invocation call, TrustAnchors anchors,
                                               SignatureScheme scheme) {
        MemberCertificate cert = MemberCertificate.decode(call.args().bytes("certificate"));
        if (cert.memberId().equals(anchors.kgcId()) || cert.role() == Role.KGC) {
            throw new ContractException(LedgerReason.NOT_AUTHORIZED, "the KGC is a trust anchor, not a registrant");
        }
        if (!cert.verify(anchors.kgcPublicKey(), scheme)) {
            throw new ContractException(LedgerReason.BAD_SIGNATURE, "certificate of " + cert.memberId() + " not signed by the KGC");
        }
        return cert;
    }
}
