package org.medledger.ledger.contract.seeds;

import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.tx.Arguments;
import org.medledger.protocol.interhospital.ContractPayload;
import org.medledger.protocol.interhospital.HospitalCheck;
import org.medledger.protocol.interhospital.HospitalInsert;
import org.medledger.protocol.interhospital.MedicalRecordCheck;
import org.medledger.protocol.interhospital.MedicalRecordInsert;
import org.medledger.protocol.interhospital.PatientCheck;
import org.medledger.protocol.interhospital.PatientInsert;
import org.medledger.protocol.interhospital.RecordTransferLog;
import org.medledger.protocol.interhospital.TreatmentConsent;

/**
 * The ledger call of each INTER-HOSPITAL contract payload the protocol emits: which contract,
 * which function, which arguments. A {@code ptins} that maps records is one call per record and
 * names the holding hospital ({@link #mapping}).
 */
public final class InterHospitalPayloads {
    /** One contract call. */
    public record Call(String contract, String function, Arguments args) {
    }

    private InterHospitalPayloads() {
    }

    public static Call of(ContractPayload payload) {
        if (payload instanceof TreatmentConsent c) {
            return new Call(ConsentContract.NAME, "grant", Arguments.builder().put("patientId", c.patientId())
                    .put("granteeId", c.hospitalId()).put("scope", TreatmentConsent.SCOPE).put("expiry", c.expiry()).build());
        }
        if (payload instanceof MedicalRecordInsert m) {
            return call("mrins", Arguments.builder().put("diagnosisId", m.diagnosisId()).put("patientId", m.patientId())
                    .put("hospitalId", m.hospitalId()).put("detail", Bytes.of(m.encode())));
        }
        if (payload instanceof RecordTransferLog t) {
            return call("mrxfer", Arguments.builder().put("fromHospital", t.fromHospital()).put("toHospital", t.toHospital())
                    .put("patientId", t.patientId()).put("diagnosisIds", InterHospitalContract.recordList(t.diagnosisIds()))
                    .put("authorizationDigest", Bytes.of(t.authorizationDigest())).put("transferredAt", t.transferredAt()));
        }
        if (payload instanceof MedicalRecordCheck q) {
            return call("mrchk", Arguments.builder().put("diagnosisId", q.diagnosisId()).put("hospitalId", q.hospitalId())
                    .put("patientId", q.patientId()));
        }
        if (payload instanceof PatientCheck q) {
            return call("ptchk", Arguments.builder().put("patientId", q.patientId()));
        }
        if (payload instanceof HospitalCheck q) {
            return call("hachk", Arguments.builder().put("hospitalId", q.hospitalId()));
        }
        if (payload instanceof HospitalInsert h) {
            return call("hains", Arguments.builder().put("hospitalId", h.hospitalId()).put("detail", h.detail()));
        }
        if (payload instanceof PatientInsert p && p.recordMapping().isEmpty()) {
            return call("ptins", Arguments.builder().put("patientId", p.patientId()).put("detail", p.detail()));
        }
        throw new IllegalArgumentException("a ptins with records is one call per record: use mapping()");
    }

    /** The {@code ptins} that maps {@code recordId} of {@code p}'s patient, held by {@code hospitalId}. */
    public static Call mapping(PatientInsert p, String recordId, String hospitalId) {
        if (!p.recordMapping().contains(recordId)) {
            throw new IllegalArgumentException("record " + recordId + " is not in this ptins");
        }
        return call("ptins", Arguments.builder().put("patientId", p.patientId()).put("detail", p.detail())
                .put("recordId", recordId).put("hospitalId", hospitalId));
    }

    private static Call call(String function, Arguments.Builder args) {
        return new Call(InterHospitalContract.NAME, function, args.build());
    }
}
