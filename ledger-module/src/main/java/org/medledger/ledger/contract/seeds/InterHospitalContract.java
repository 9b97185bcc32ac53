package org.medledger.ledger.contract.seeds;

import java.util.HashSet;
import java.util.List;

import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.contract.ContractException;
import org.medledger.ledger.contract.ContractState;
import org.medledger.ledger.contract.EndorsementPolicy;
import org.medledger.ledger.contract.FunctionTable;
import org.medledger.ledger.contract.Invocation;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.state.StateKey;
import org.medledger.ledger.tx.Arguments;

/**
 * INTER-HOSPITAL's contracts (seed 002, PROTOCOLS.md §3): {@code ptins}, one hospital-insert
 * serving {@code hains}/{@code hbins}, {@code mrins}, {@code mrxfer} (erratum 3), and the checks
 * {@code ptchk}, {@code hachk}/{@code hbchk}, {@code mrchk}.
 * Registrations are endorsed by the blockchain center (KGC); records and patient↦record
 * mappings by the hospital that holds the record, and a record is attached to a patient only
 * while the patient's treatment consent for that hospital ({@value #TREATMENT_SCOPE}) is on the
 * ledger. {@code mrchk} holds only for the triple (record, holder, patient); {@code mrxfer} logs
 * a release from the holder, once per patient authorization.
 */
public final class InterHospitalContract extends FunctionTable {
    public static final String NAME = "inter-hospital";
    /** The consent scope by which a patient lets a hospital attach records to them. */
    public static final String TREATMENT_SCOPE = org.medledger.protocol.interhospital.TreatmentConsent.SCOPE;
    static final String NS_PATIENT = "ih-patient";
    static final String NS_HOSPITAL = "ih-hospital";
    public static final String NS_RECORD = "ih-record";
    static final String NS_MAPPING = "ih-patient-record";
    static final String NS_TRANSFER = "ih-transfer";

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
            String patient = call.args().string("patientId");
            requireExists(state, NS_PATIENT, patient);
            requireExists(state, NS_HOSPITAL, hospital);
            ConsentContract.requireValid(state, patient, hospital, TREATMENT_SCOPE, call.timestamp());
            insertOnce(state, NS_RECORD, call.args().string("diagnosisId"), record(Arguments.builder()
                    .put("patientId", patient).put("hospitalId", hospital)
                    .put("detail", call.args().bytes("detail")).put("insertedAt", call.timestamp())));
        });
        // mrxfer(from, to, patient, diagnosis ids as a composed key, authorization digest, time), endorsed by the holder.
        function("mrxfer", EndorsementPolicy.endorsedByArgument("fromHospital", Role.HOSPITAL), InterHospitalContract::mrxfer);
        check("ptchk", (call, state) -> requireExists(state, NS_PATIENT, call.args().string("patientId")));
        check("hachk", (call, state) -> requireExists(state, NS_HOSPITAL, call.args().string("hospitalId")));
        check("hbchk", (call, state) -> requireExists(state, NS_HOSPITAL, call.args().string("hospitalId")));
        check("mrchk", (call, state) -> requireRecordOf(state, call.args().string("diagnosisId"),
                call.args().string("hospitalId"), call.args().string("patientId")));
    }

    /** The record exists, is held by {@code hospital} and belongs to {@code patient}. */
    private static void requireRecordOf(ContractState state, String recordId, String hospital, String patient) {
        Arguments rec = parse(requireExists(state, NS_RECORD, recordId));
        if (!rec.string("hospitalId").equals(hospital) || !rec.string("patientId").equals(patient)) {
            throw new ContractException(LedgerReason.NOT_AUTHORIZED, "record " + recordId + " is not this patient's record at " + hospital);
        }
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
        requireRecordOf(state, recordId, hospital, patient);
        insertOnce(state, NS_MAPPING, StateKey.compose(patient, recordId), record(Arguments.builder().put("hospitalId", hospital)));
    }

    private static void mrxfer(Invocation call, ContractState state) {
        String from = call.args().string("fromHospital");
        String to = call.args().string("toHospital");
        String patient = call.args().string("patientId");
        if (from.equals(to)) {
            throw new ContractException(LedgerReason.NOT_AUTHORIZED, "a transfer goes to another hospital");
        }
        requireExists(state, NS_HOSPITAL, from);
        requireExists(state, NS_HOSPITAL, to);
        requireExists(state, NS_PATIENT, patient);
        List<String> records = StateKey.components(call.args().string("diagnosisIds"));
        if (new HashSet<>(records).size() != records.size()) {
            throw new ContractException(LedgerReason.MALFORMED, "a record is listed twice");
        }
        for (String r : records) {
            requireRecordOf(state, r, from, patient);
        }
        byte[] digest = call.args().bytes("authorizationDigest").toArray();
        if (digest.length != 32) {
            throw new ContractException(LedgerReason.MALFORMED, "the authorization digest is a SHA-256");
        }
        // One transfer per patient authorization: a second release under the same letter is refused.
        insertOnce(state, NS_TRANSFER, call.args().bytes("authorizationDigest").hex(), record(Arguments.builder()
                .put("fromHospital", from).put("toHospital", to).put("patientId", patient)
                .put("diagnosisIds", call.args().string("diagnosisIds")).put("transferredAt", call.args().number("transferredAt"))
                .put("loggedAt", call.timestamp())));
    }

    private static void hospitalInsert(Invocation call, ContractState state) {
        insertOnce(state, NS_HOSPITAL, call.args().string("hospitalId"), record(Arguments.builder().put("detail", call.args().bytes("detail"))));
    }

    /** The argument form of a record list for {@code mrxfer}. */
    public static String recordList(List<String> diagnosisIds) {
        return StateKey.compose(diagnosisIds.toArray(String[]::new));
    }
}
