package org.medledger.ledger.contract.seeds;

import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.contract.ContractException;
import org.medledger.ledger.contract.ContractState;
import org.medledger.ledger.contract.EndorsementPolicy;
import org.medledger.ledger.contract.FunctionTable;
import org.medledger.ledger.member.MemberDirectory;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.state.StateKey;
import org.medledger.ledger.tx.Arguments;

/**
 * Patient consent (EMR-AUTH step 6 "authorize", INTER-HOSPITAL errata 3): a patient grants a
 * registered member access to a scope (an EMR-AUTH department {@code ID_DE}, or
 * {@value InterHospitalContract#TREATMENT_SCOPE}) until an expiry, or revokes it; {@code check}
 * refuses unless an unrevoked, unexpired grant exists at the given time. Other contracts that
 * need the patient's relation to a member ({@code mrins}) read the same grant.
 */
public final class ConsentContract extends FunctionTable {
    public static final String NAME = "consent";
    static final String NS_CONSENT = "consent";

    public ConsentContract() {
        super(NAME);
        function("grant", EndorsementPolicy.submitterOnly(), (call, state) -> {
            String patient = call.args().string("patientId");
            String grantee = call.args().string("granteeId");
            requireRole(call, Role.PATIENT);
            requireSubmitter(call, patient);
            requireExists(state, MemberDirectory.NS_MEMBER, grantee);
            state.write(NS_CONSENT, key(call.args()), record(Arguments.builder()
                    .put("expiry", call.args().number("expiry")).put("revoked", "false")));
        });
        function("revoke", EndorsementPolicy.submitterOnly(), (call, state) -> {
            requireSubmitter(call, call.args().string("patientId"));
            requireExists(state, NS_CONSENT, key(call.args()));
            state.write(NS_CONSENT, key(call.args()), record(Arguments.builder().put("expiry", 0).put("revoked", "true")));
        });
        check("check", (call, state) -> requireValid(state, call.args().string("patientId"), call.args().string("granteeId"),
                call.args().string("scope"), call.args().number("at")));
    }

    /** Refuses unless {@code patient} granted {@code grantee} the {@code scope}, unrevoked and unexpired at {@code at}. */
    static void requireValid(ContractState state, String patient, String grantee, String scope, long at) {
        Arguments c = parse(state.read(NS_CONSENT, StateKey.compose(patient, grantee, scope))
                .orElseThrow(() -> new ContractException(LedgerReason.NOT_AUTHORIZED, "no consent of " + patient + " for " + grantee)));
        if (c.string("revoked").equals("true") || c.number("expiry") < at) {
            throw new ContractException(LedgerReason.NOT_AUTHORIZED, "no valid consent");
        }
    }

    private static String key(Arguments a) {
        return StateKey.compose(a.string("patientId"), a.string("granteeId"), a.string("scope"));
    }
}
