package org.medledger.ledger.contract;

import java.util.Arrays;
import java.util.function.Function;

import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.member.Role;

/**
 * Decides whether a call is sufficiently endorsed. Endorsers have already been authenticated
 * (KGC-certified, active, valid signature over the transaction id) when a policy runs.
 */
@FunctionalInterface
public interface EndorsementPolicy {
    void check(Invocation call, ContractState state);

    /** Only the submitter's signature is required. */
    static EndorsementPolicy submitterOnly() {
        return (call, state) -> { };
    }

    /** At least one endorser with {@code role} (e.g. the KGC for registrations). */
    static EndorsementPolicy endorsedByRole(Role role) {
        return (call, state) -> {
            if (!call.endorsers().containsValue(role)) {
                throw new ContractException(LedgerReason.MISSING_ENDORSEMENT, "needs an endorsement by a " + role);
            }
        };
    }

    /** The member named by argument {@code arg} (e.g. the record-holding hospital) must endorse, with {@code role}. */
    static EndorsementPolicy endorsedByArgument(String arg, Role role) {
        return endorsedBy(call -> call.args().string(arg), role);
    }

    /** The member computed from the call (and state) must endorse, with {@code role}. */
    static EndorsementPolicy endorsedBy(Function<Invocation, String> who, Role role) {
        return (call, state) -> {
            String id = who.apply(call);
            if (call.endorsers().get(id) != role) {
                throw new ContractException(LedgerReason.MISSING_ENDORSEMENT, "needs an endorsement by " + role + " " + id);
            }
        };
    }

    /** Every policy must hold. */
    static EndorsementPolicy allOf(EndorsementPolicy... policies) {
        EndorsementPolicy[] copy = Arrays.copyOf(policies, policies.length);
        return (call, state) -> {
            for (EndorsementPolicy p : copy) {
                p.check(call, state);
            }
        };
    }
}
