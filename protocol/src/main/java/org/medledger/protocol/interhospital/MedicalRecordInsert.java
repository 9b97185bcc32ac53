package org.medledger.protocol.interhospital;

import java.util.Arrays;
import java.util.Objects;

import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.ProtocolException;

/**
 * {@code mrins(diagnosis id, diagnosis detail)} (seed 002, eq. 31 and 71): the detail is the
 * patient the record is attached to, the holding hospital, the SHA-256 of the EMR (the EMR
 * itself stays at the hospital) and the creation time. The ledger accepts it only while the
 * patient's {@link TreatmentConsent} for the hospital holds.
 */
public record MedicalRecordInsert(String diagnosisId, String patientId, String hospitalId, byte[] emrDigest, long createdAt)
        implements ContractPayload {

    public static final String CONTRACT = "mrins";

    public MedicalRecordInsert {
        Objects.requireNonNull(diagnosisId, "Diagnosis id is required.");
        Objects.requireNonNull(patientId, "Patient id is required.");
        Objects.requireNonNull(hospitalId, "Hospital id is required.");
        emrDigest = Objects.requireNonNull(emrDigest, "EMR digest is required.").clone();
    }

    @Override
    public byte[] emrDigest() {
        return emrDigest.clone();
    }

    @Override
    public String contract() {
        return CONTRACT;
    }

    @Override
    public byte[] encode() {
        return Contracts.encoder(CONTRACT).utf8(diagnosisId).utf8(patientId).utf8(hospitalId).bytes(emrDigest).int64(createdAt).toByteArray();
    }

    public static MedicalRecordInsert decode(byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, Contracts.PREFIX + CONTRACT);
        MedicalRecordInsert m = new MedicalRecordInsert(d.utf8(), d.utf8(), d.utf8(), d.bytes(32), d.int64());
        d.finish();
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MedicalRecordInsert m && Arrays.equals(m.encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }
}
