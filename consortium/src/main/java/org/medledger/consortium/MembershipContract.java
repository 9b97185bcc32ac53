package org.medledger.consortium;

import java.util.ArrayList;
import java.util.List;

import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.contract.Contract;
import org.medledger.ledger.contract.ContractException;
import org.medledger.ledger.contract.ContractRegistry;
import org.medledger.ledger.contract.EndorsementPolicy;
import org.medledger.ledger.contract.FunctionTable;
import org.medledger.ledger.crypto.SignatureScheme;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.member.TrustAnchors;

/**
 * The consortium's membership on the ledger: {@code record(consortium)} stores the encoded
 * {@link Consortium} (hospitals, their certificates, quorum), KGC-endorsed; the trust anchors
 * in it must be the ones the ledger runs with. Every change of membership is thus a ledger
 * transaction, and a node whose configuration differs from the recorded membership refuses to
 * open ({@link ReplicaLedger}). {@code check(consortium)} is the read-only comparison.
 */
public final class MembershipContract extends FunctionTable {
    public static final String NAME = "consortium";
    public static final String NAMESPACE = "consortium";
    public static final String KEY = "membership";

    public MembershipContract(TrustAnchors anchors, SignatureScheme scheme) {
        super(NAME);
        byte[] runningAnchors = anchors.encode();
        function("record", EndorsementPolicy.endorsedByRole(Role.KGC), (call, state) -> {
            Bytes encoded = call.args().bytes("consortium");
            Consortium c;
            try {
                c = Consortium.decode(encoded.toArray(), ContractRegistry.of(), scheme);
            } catch (RuntimeException e) {
                throw new ContractException(LedgerReason.MALFORMED, "not a consortium description");
            }
            if (!java.util.Arrays.equals(c.anchors().encode(), runningAnchors)) {
                throw new ContractException(LedgerReason.NOT_AUTHORIZED, "the membership's trust anchors are not the ledger's");
            }
            state.write(NAMESPACE, KEY, encoded);
        });
        check("check", (call, state) -> {
            Bytes recorded = state.read(NAMESPACE, KEY)
                    .orElseThrow(() -> new ContractException(LedgerReason.NOT_FOUND, "no membership recorded"));
            if (!recorded.equals(call.args().bytes("consortium"))) {
                throw new ContractException(LedgerReason.NOT_FOUND, "the recorded membership differs");
            }
        });
    }

    /** {@code base} (e.g. the seed contracts) with the membership contract added. */
    public static ContractRegistry with(ContractRegistry base, TrustAnchors anchors, SignatureScheme scheme) {
        List<Contract> all = new ArrayList<>(base.all().values());
        all.add(new MembershipContract(anchors, scheme));
        return ContractRegistry.of(all.toArray(Contract[]::new));
    }
}
