package org.medledger.ledger.contract.seeds;

import java.util.Optional;

import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.contract.ContractException;
import org.medledger.ledger.contract.EndorsementPolicy;
import org.medledger.ledger.contract.FunctionTable;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.codec.Bytes;

/**
 * Key rotations as ledger entries: {@code rotate(purpose, holderId, oldKeyId, newKeyId, publicKey?, at)}.
 * The KGC's master key pair ({@code purpose = kgc-master}, holder {@code kgc}) is rotated with the
 * KGC's endorsement; a hospital's record-wrapping key ({@code purpose = record-wrap}) with the
 * endorsement of that hospital's member key. The current key id per (purpose, holder) is kept in
 * the world state: a rotation must name the current key as its old key (none for the first), so
 * rotations form one chain per holder and a stale or replayed rotation is refused.
 */
public final class KeyRotationContract extends FunctionTable {
    public static final String NAME = "keys";
    public static final String KGC_MASTER = "kgc-master";
    public static final String RECORD_WRAP = "record-wrap";
    /** A party's KGC partial key renewed under the current master key (holder {@code <scheme>/<role>/<id>}), KGC-endorsed. */
    public static final String KGC_PARTIAL_KEY = "kgc-partial-key";
    static final String NS_CURRENT = "key-current";

    public KeyRotationContract() {
        super(NAME);
        EndorsementPolicy kgc = EndorsementPolicy.endorsedByRole(org.medledger.ledger.member.Role.KGC);
        EndorsementPolicy holder = EndorsementPolicy.endorsedByArgument("holderId", org.medledger.ledger.member.Role.HOSPITAL);
        function("rotate", (call, state) -> (KGC_MASTER.equals(call.args().string("purpose"))
                || KGC_PARTIAL_KEY.equals(call.args().string("purpose")) ? kgc : holder).check(call, state),
                (call, state) -> {
                    Arguments a = call.args();
                    String purpose = a.string("purpose");
                    if (!purpose.equals(KGC_MASTER) && !purpose.equals(RECORD_WRAP) && !purpose.equals(KGC_PARTIAL_KEY)) {
                        throw new ContractException(LedgerReason.MALFORMED, "purpose must be " + KGC_MASTER + ", " + RECORD_WRAP
                                + " or " + KGC_PARTIAL_KEY);
                    }
                    String holderId = a.string("holderId");
                    String oldKeyId = a.string("oldKeyId");
                    String newKeyId = a.string("newKeyId");
                    if (newKeyId.isEmpty() || newKeyId.equals(oldKeyId)) {
                        throw new ContractException(LedgerReason.MALFORMED, "the new key id must be new");
                    }
                    a.number("at");
                    String key = purpose + "/" + holderId;
                    Optional<Bytes> current = state.read(NS_CURRENT, key);
                    if (current.isPresent() && !parse(current.get()).string("keyId").equals(oldKeyId)) {
                        throw new ContractException(LedgerReason.ALREADY_EXISTS, "the old key id is not the current key of " + key);
                    }
                    state.write(NS_CURRENT, key, record(Arguments.builder().put("keyId", newKeyId).put("previous", oldKeyId)
                            .put("at", a.number("at"))));
                });
    }
}
