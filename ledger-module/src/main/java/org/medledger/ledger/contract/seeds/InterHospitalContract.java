package org.medledger.ledger.contract.seeds;

import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.contract.ContractException;
import org.medledger.ledger.contract.ContractState;
import org.medledger.ledger.contract.EndorsementPolicy;
import org.medledger.ledger.contract.FunctionTable;
import org.medledger.ledger.contract.Invocation;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.tx.Arguments;

/**
 * INTER-HOSPITAL's contracts (seed 002, PROTOCOLS.md §3): {@code ptins}, one hospital-insert
 * serving {@code hains}/{@code hbins}, {@code mrins}, and the checks {@code ptchk},
 * {@code hachk}/{@code hbchk}, {@code mrchk}.
 * Registrations are endorsed by the blockchain center (KGC); records and patient↦record
 * mappings by the hospital that holds the record.
 */
public final class InterHospitalContract extends FunctionTable {
    public static final String NAME = "inter-hospital";
    static final String NS_PATIENT = "ih-patient";
    static final String NS_HOSPITAL = "ih-hospital";
    static final String NS_RECORD = "ih-record";
    static final String NS_MAPPING = "ih-patient-record";

    public InterHospitalContract() {
        super(NAME);
        EndorsementPolicy kgc = EndorsementPolicy.endorsedByRole(Role.KGC);
        EndorsementPolicy holder = EndorsementPolicy.endorsedByArgument("hospitalId", Role.HOSPITAL);
        // ptins(patient id, detail) registers; ptins(patient id, detail, record id, hospital id) maps patient ↦ record.
        function("ptins", (call, state) -> (call.args().values().containsKey("recordId") ? holder : kgc).check(call, state),
                InterHospitalContract::ptins);
        function("hains", kgc, InterHospitalContract::hospitalInsert);
        function("hbins", kgc, InterHospitalContract::hospitalInsert);
        function("mrins", holder, (call, state) -> {
            String hospital = call.args().string("hospitalId");
            requireExists(state, NS_PATIENT, call.args().string("patientId"));
            requireExists(state, NS_HOSPITAL, hospital);
            insertOnce(state, NS_RECORD, call.args().string("diagnosisId"), record(Arguments.builder()
                    .put("patientId", call.args().string("patientId")).put("hospitalId", hospital)
                    .put("detail", call.args().bytes("detail")).put("insertedAt", call.timestamp())));
        });
        check("ptchk", (call, state) -> requireExists(state, NS_PATIENT, call.args().string("patientId")));
        check("hachk", (call, state) -> requireExists(state, NS_HOSPITAL, call.args().string("hospitalId")));
        check("hbchk", (call, state) -> requireExists(state, NS_HOSPITAL, call.args().string("hospitalId")));
        check("mrchk", (call, state) -> requireExists(state, NS_RECORD, call.args().string("diagnosisId")));
    }

    private static void ptins(Invocation call, ContractState state) {
        String patient = call.args().string("patientId");
        if (!call.args().values().containsKey("recordId")) {
            insertOnce(state, NS_PATIENT, patient, record(Arguments.builder().put("detail", call.args().bytes("detail"))));
            return;
        }
        String recordId = call.args().string("recordId");
        String hospital = call.args().string("hospitalId");
        requireExists(state, NS_PATIENT, patient);
        Arguments rec = parse(requireExists(state, NS_RECORD, recordId));
        if (!rec.string("hospitalId").equals(hospital) || !rec.string("patientId").equals(patient)) {
            throw new ContractException(LedgerReason.NOT_AUTHORIZED, "record " + recordId + " is not this patient's record at " + hospital);
        }
        insertOnce(state, NS_MAPPING, patient + "/" + recordId, record(Arguments.builder().put("hospitalId", hospital)));
    }

    private static void hospitalInsert(Invocation call, ContractState state) {
        insertOnce(state, NS_HOSPITAL, call.args().string("hospitalId"), record(Arguments.builder().put("detail", call.args().bytes("detail"))));
    }
}
