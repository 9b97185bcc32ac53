package org.medledger.ledger.contract.seeds;

import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.contract.ContractException;
import org.medledger.ledger.contract.EndorsementPolicy;
import org.medledger.ledger.contract.FunctionTable;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.tx.Arguments;

/**
 * Record accesses (EMR-AUTH step 6 "writes an access transaction", and every scheme whose holder
 * releases records): the holder of a record appends one entry per release attempt, allowed or
 * refused, signed with its own member key, before anything is released. The entry names the
 * scheme, the holder, the patient, the accessor, the outcome and the reason; the latest outcome
 * per (holder, patient, accessor) is kept in the world state.
 */
public final class AccessContract extends FunctionTable {
    public static final String NAME = "access";
    static final String NS_ACCESS = "access-last";

    public AccessContract() {
        super(NAME);
        function("record", EndorsementPolicy.submitterOnly(), (call, state) -> {
            Arguments a = call.args();
            String holder = a.string("holderId");
            requireRole(call, Role.HOSPITAL, Role.CLOUD, Role.MEDICAL_CENTER);
            requireSubmitter(call, holder);
            String outcome = a.string("outcome");
            if (!outcome.equals("released") && !outcome.equals("refused")) {
                throw new ContractException(LedgerReason.MALFORMED, "outcome must be released or refused");
            }
            a.string("scheme");
            a.string("reason");
            a.number("at");
            String key = holder + "/" + a.string("patientId") + "/" + a.string("accessorId");
            state.write(NS_ACCESS, key, record(Arguments.builder().put("outcome", outcome).put("at", a.number("at"))));
        });
    }
}
