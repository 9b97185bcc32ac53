package org.medledger.ledger.contract.seeds;

import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.contract.ContractException;
import org.medledger.ledger.contract.EndorsementPolicy;
import org.medledger.ledger.contract.FunctionTable;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.tx.Arguments;

/**
 * ABE-CHAIN's ledger side (seed 003, PROTOCOLS.md §4): the patient's authorization letter
 * (policy + record descriptor), the record descriptor endorsed by the record-holding hospital
 * (its policy must equal the authorized one — the endorsing nodes' check), and the medical
 * cloud address of the stored ciphertext, endorsed by the same hospital.
 */
public final class AbeChainContract extends FunctionTable {
    public static final String NAME = "abe-chain";
    static final String NS_LETTER = "abe-letter";
    static final String NS_DESCRIPTOR = "abe-descriptor";
    static final String NS_ADDRESS = "abe-address";

    public AbeChainContract() {
        super(NAME);
        function("authorization-letter", EndorsementPolicy.submitterOnly(), (call, state) -> {
            String patient = call.args().string("patientId");
            requireRole(call, Role.PATIENT);
            requireSubmitter(call, patient);
            insertOnce(state, NS_LETTER, call.args().string("letterId"), record(Arguments.builder()
                    .put("patientId", patient).put("policy", call.args().bytes("policy"))
                    .put("descriptor", call.args().bytes("descriptor"))));
        });
        function("record-descriptor", EndorsementPolicy.endorsedByArgument("hospitalId", Role.HOSPITAL), (call, state) -> {
            Arguments letter = parse(requireExists(state, NS_LETTER, call.args().string("letterId")));
            if (!letter.bytes("policy").equals(call.args().bytes("policy"))) {
                throw new ContractException(LedgerReason.NOT_AUTHORIZED, "ciphertext policy differs from the authorized policy");
            }
            insertOnce(state, NS_DESCRIPTOR, call.args().string("descriptorId"), record(Arguments.builder()
                    .put("letterId", call.args().string("letterId")).put("hospitalId", call.args().string("hospitalId"))
                    .put("policy", call.args().bytes("policy")).put("ciphertextHash", call.args().bytes("ciphertextHash"))
                    .put("description", call.args().bytes("description"))));
        });
        EndorsementPolicy descriptorHolder = (call, state) -> {
            Arguments d = parse(requireExists(state, NS_DESCRIPTOR, call.args().string("descriptorId")));
            EndorsementPolicy.endorsedBy(c -> d.string("hospitalId"), Role.HOSPITAL).check(call, state);
        };
        function("cloud-address", descriptorHolder, (call, state) ->
                insertOnce(state, NS_ADDRESS, call.args().string("descriptorId"), call.args().bytes("address")));
        check("descriptor-check", (call, state) -> requireExists(state, NS_DESCRIPTOR, call.args().string("descriptorId")));
    }
}
