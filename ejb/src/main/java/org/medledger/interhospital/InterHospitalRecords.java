package org.medledger.interhospital;

import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.List;
import java.util.Optional;

import org.medledger.custody.RecordEnvelope;
import org.medledger.emrauth.FhirRecords;
import org.medledger.platform.DomainException;
import org.medledger.protocol.common.SecretBytes;

/**
 * The records an INTER-HOSPITAL hospital holds (table {@code ih_record}): its own diagnoses and
 * the records it received from another hospital, FHIR R4 JSON sealed at rest with
 * {@link RecordEnvelope} (per-record key wrapped by the hospital's record key, bound to the
 * hospital, the patient, the source, the record id and the time), FHIR-validated on store and on read.
 */
@Stateless
@LocalBean
public class InterHospitalRecords {

    static final String LABEL = "MEDLEDGER/INTER-HOSPITAL/record";

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    public void store(String hospitalId, String sourceHospital, String patientId, String diagnosisId, String writtenBy, byte[] fhir,
                      SecretBytes wrapKey) throws DomainException {
        FhirRecords.requireValid(fhir);
        long at = System.currentTimeMillis();
        RecordEnvelope.Sealed sealed = envelope(sourceHospital, diagnosisId).seal(wrapKey, hospitalId, patientId, at, fhir);
        em.createNativeQuery("INSERT INTO ih_record (hospital_id, patient_id, diagnosis_id, source_hospital, written_by, wrapped_key, "
                        + "ciphertext, stored_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                .setParameter(1, hospitalId).setParameter(2, patientId).setParameter(3, diagnosisId).setParameter(4, sourceHospital)
                .setParameter(5, writtenBy).setParameter(6, sealed.wrappedKey()).setParameter(7, sealed.ciphertext())
                .setParameter(8, at).executeUpdate();
    }

    public boolean holds(String hospitalId, String sourceHospital, String diagnosisId) {
        return !em.createNativeQuery("SELECT id FROM ih_record WHERE hospital_id = ?1 AND source_hospital = ?2 AND diagnosis_id = ?3")
                .setParameter(1, hospitalId).setParameter(2, sourceHospital).setParameter(3, diagnosisId).getResultList().isEmpty();
    }

    /** Record {@code diagnosisId} from {@code sourceHospital} that {@code hospitalId} holds for {@code patientId}, opened. */
    public Optional<byte[]> find(String hospitalId, String sourceHospital, String patientId, String diagnosisId, SecretBytes wrapKey)
            throws DomainException {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT wrapped_key, ciphertext, stored_at FROM ih_record "
                        + "WHERE hospital_id = ?1 AND source_hospital = ?2 AND patient_id = ?3 AND diagnosis_id = ?4")
                .setParameter(1, hospitalId).setParameter(2, sourceHospital).setParameter(3, patientId).setParameter(4, diagnosisId)
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        long at = ((Number) rows.get(0)[2]).longValue();
        byte[] content;
        try {
            content = envelope(sourceHospital, diagnosisId).open(wrapKey, hospitalId, patientId, at, (byte[]) rows.get(0)[0],
                    (byte[]) rows.get(0)[1]);
        } catch (org.medledger.protocol.common.ProtocolException e) {
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "RECORD_UNREADABLE",
                    "the stored record does not open under this hospital's key");
        }
        FhirRecords.requireValid(content);
        return Optional.of(content);
    }

    /** One envelope label per record: binds the ciphertext to its source and record id too, so rows cannot be swapped. */
    static RecordEnvelope envelope(String sourceHospital, String diagnosisId) {
        return new RecordEnvelope(LABEL + "/" + sourceHospital.length() + ":" + sourceHospital + "/" + diagnosisId);
    }
}
