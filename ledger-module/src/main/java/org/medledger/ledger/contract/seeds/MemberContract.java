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
 * Member registration and revocation. A certificate is accepted only with the KGC's signature
 * over it and the KGC's endorsement of the transaction; only then can the member submit.
 */
public final class MemberContract extends FunctionTable {
    public static final String NAME = "member";

    public MemberContract(TrustAnchors anchors, SignatureScheme scheme) {
        super(NAME);
        EndorsementPolicy kgc = EndorsementPolicy.endorsedByRole(Role.KGC);
        function("register", kgc, (call, state) -> {
            MemberCertificate cert = MemberCertificate.decode(call.args().bytes("certificate"));
            if (cert.memberId().equals(anchors.kgcId()) || cert.role() == Role.KGC) {
                throw new ContractException(LedgerReason.NOT_AUTHORIZED, "the KGC is a trust anchor, not a registrant");
            }
            if (!cert.verify(anchors.kgcPublicKey(), scheme)) {
                throw new ContractException(LedgerReason.BAD_SIGNATURE, "certificate of " + cert.memberId() + " not signed by the KGC");
            }
            insertOnce(state, MemberDirectory.NS_MEMBER, cert.memberId(), cert.encode());
        });
        function("revoke", kgc, (call, state) -> {
            String id = call.args().string("memberId");
            requireExists(state, MemberDirectory.NS_MEMBER, id);
            insertOnce(state, MemberDirectory.NS_REVOKED, id, Bytes.utf8(Long.toString(call.timestamp())));
        });
    }
}
