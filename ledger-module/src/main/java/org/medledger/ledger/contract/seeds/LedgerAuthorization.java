package org.medledger.ledger.contract.seeds;

import java.time.Clock;
import java.util.Objects;

import org.bouncycastle.util.encoders.Hex;
import org.medledger.ledger.LedgerException;
import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.node.Ledger;
import org.medledger.ledger.state.StateKey;
import org.medledger.ledger.tx.Arguments;
import org.medledger.protocol.cloudchain.ContractRegistry;
import org.medledger.protocol.emrauth.ConsentPolicy;
import org.medledger.protocol.group.GroupMembership;
import org.medledger.protocol.interhospital.LedgerChecks;

/**
 * The protocol cores' authorization questions answered from the ledger's committed state, for
 * the server to hand to the parties: EMR-AUTH's {@link ConsentPolicy} (the {@code consent}
 * contract, scope = {@code ID_DE}), CLOUD-CHAIN's {@link ContractRegistry} ({@code scchk},
 * {@code HID_i} as hex), GROUP-AGG's {@link GroupMembership} and INTER-HOSPITAL's
 * {@link LedgerChecks}. A refusal by the contract is "no"; any other ledger failure is thrown,
 * so the caller fails closed.
 */
public final class LedgerAuthorization {
    private LedgerAuthorization() {
    }

    public static ConsentPolicy consent(Ledger ledger, Clock clock) {
        Objects.requireNonNull(ledger);
        Objects.requireNonNull(clock);
        return (idP, idD, idDE) -> holds(ledger, ConsentContract.NAME, "check", Arguments.builder().put("patientId", idP)
                .put("granteeId", idD).put("scope", idDE).put("at", clock.millis()).build());
    }

    public static ContractRegistry contracts(Ledger ledger) {
        Objects.requireNonNull(ledger);
        return (hidI, pidJ) -> holds(ledger, CloudChainContract.NAME, "scchk",
                Arguments.builder().put("hid", Hex.toHexString(hidI)).put("pid", pidJ).build());
    }

    public static GroupMembership groups(Ledger ledger) {
        Objects.requireNonNull(ledger);
        return (groupId, memberId) -> ledger.state(GroupAggContract.NS_MEMBER, StateKey.compose(groupId, memberId))
                .map(v -> v.value().utf8().equals("active")).orElse(false);
    }

    public static LedgerChecks checks(Ledger ledger) {
        Objects.requireNonNull(ledger);
        return q -> {
            InterHospitalPayloads.Call c = InterHospitalPayloads.of(q);
            return holds(ledger, c.contract(), c.function(), c.args());
        };
    }

    private static boolean holds(Ledger ledger, String contract, String function, Arguments args) {
        try {
            ledger.query(contract, function, args);
            return true;
        } catch (LedgerException e) {
            if (e.reason() == LedgerReason.NOT_FOUND || e.reason() == LedgerReason.NOT_AUTHORIZED) {
                return false;
            }
            throw e;
        }
    }
}
