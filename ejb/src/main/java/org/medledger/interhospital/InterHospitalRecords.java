package org.medledger.interhospital;

import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.List;
import java.util.Optional;

import org.medledger.custody.HospitalKeyStore;
import org.medledger.custody.KeyEntry;
import org.medledger.custody.RecordEnvelope;
import org.medledger.custody.RecordTable;
import org.medledger.custody.RecordWrapKeys;
import org.medledger.emrauth.FhirRecords;
import org.medledger.platform.DomainException;
import org.medledger.protocol.common.SecretBytes;

/**
 * The records an INTER-HOSPITAL hospital holds (table {@code ih_record}): its own diagnoses and
 * the records it received from another hospital, FHIR R4 JSON sealed at rest with
 * {@link RecordEnvelope} (per-record key wrapped by the hospital's record key, bound to the
 * hospital, the patient, the source, the record id and the time; the row names the record key,
 * {@link #TABLE}), FHIR-validated on store and on read.
 */
@Stateless
@LocalBean
public class InterHospitalRecords {

    static final String LABEL = "MEDLEDGER/INTER-HOSPITAL/record";

    /** The records as one of the tables re-wrapped by a rotation of the hospital's record key. */
    public static final RecordTable TABLE = new RecordTable("INTER-HOSPITAL", "ih_record", "id", "hospital_id = ?1",
            "source_hospital, diagnosis_id, patient_id, stored_at", null,
            RecordTable.ofEntry(KeyEntry.INTER_HOSPITAL, HospitalKeyStore::interHospitalKeys),
            (hospitalId, c) -> new RecordTable.Binding(envelope((String) c[0], (String) c[1]), hospitalId, (String) c[2],
                    ((Number) c[3]).longValue()));

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    @jakarta.ejb.EJB
    RecordWrapKeys wrapKeys;

    /** Stores a record wrapped under the hospital's current record key ({@code wrapKey}: key w0 of its entry), naming it. */
    public void store(String hospitalId, String sourceHospital, String patientId, String diagnosisId, String writtenBy, byte[] fhir,
                      SecretBytes wrapKey) throws DomainException {
        seal(hospitalId, sourceHospital, patientId, diagnosisId, fhir, wrapKey, (sealed, keyId, at) -> em.createNativeQuery(
                        "INSERT INTO ih_record (hospital_id, patient_id, diagnosis_id, source_hospital, written_by, wrapped_key, "
                                + "ciphertext, stored_at, wrap_key_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
                .setParameter(1, hospitalId).setParameter(2, patientId).setParameter(3, diagnosisId).setParameter(4, sourceHospital)
                .setParameter(5, writtenBy).setParameter(6, sealed.wrappedKey()).setParameter(7, sealed.ciphertext())
                .setParameter(8, at).setParameter(9, keyId).executeUpdate());
    }

    /** Writes a record sealed under the hospital's current record key. */
    private interface SealedWrite {
        void write(RecordEnvelope.Sealed sealed, String keyId, long at);
    }

    /** Checks the FHIR record, seals it under {@code hospitalId}'s current record key and hands it to {@code write}. */
    private void seal(String hospitalId, String sourceHospital, String patientId, String diagnosisId, byte[] fhir, SecretBytes wrapKey,
                      SealedWrite write) throws DomainException {
        FhirRecords.requireValid(fhir);
        long at = System.currentTimeMillis();
        try (RecordWrapKeys.WrapKey k = wrapKeys.current(RecordWrapKeys.holder(hospitalId), wrapKey)) {
            write.write(envelope(sourceHospital, diagnosisId).seal(k.key(), hospitalId, patientId, at, fhir), k.keyId(), at);
        }
    }

    /**
     * Stores a record received from {@code sourceHospital}; a record it already holds from there
     * (an earlier referral) is replaced by the copy just received, sealed anew, so a second
     * referral leaves one row with the current copy. The same record id from that source for
     * another patient is refused. Receptions at one hospital are serialized on its row, so two
     * simultaneous fetches of the same record both see the other's row (one inserts, the other replaces).
     */
    public void storeReceived(String hospitalId, String sourceHospital, String patientId, String diagnosisId, String writtenBy,
                              byte[] fhir, SecretBytes wrapKey) throws DomainException {
        em.createNativeQuery("SELECT hospital_id FROM ih_hospital WHERE hospital_id = ?1 FOR UPDATE").setParameter(1, hospitalId)
                .getResultList();
        @SuppressWarnings("unchecked")
        List<String> held = em.createNativeQuery("SELECT patient_id FROM ih_record WHERE hospital_id = ?1 AND source_hospital = ?2 "
                        + "AND diagnosis_id = ?3").setParameter(1, hospitalId).setParameter(2, sourceHospital).setParameter(3, diagnosisId)
                .getResultList();
        if (held.isEmpty()) {
            store(hospitalId, sourceHospital, patientId, diagnosisId, writtenBy, fhir, wrapKey);
            return;
        }
        if (!held.get(0).equals(patientId)) {
            throw new DomainException(DomainException.Kind.CONFLICT, "RECORD_CONFLICT",
                    "this hospital holds a record with this id from that hospital for another patient");
        }
        seal(hospitalId, sourceHospital, patientId, diagnosisId, fhir, wrapKey, (sealed, keyId, at) -> em.createNativeQuery(
                        "UPDATE ih_record SET written_by = ?1, wrapped_key = ?2, ciphertext = ?3, stored_at = ?4, "
                                + "wrap_key_id = ?5 WHERE hospital_id = ?6 AND source_hospital = ?7 AND diagnosis_id = ?8")
                .setParameter(1, writtenBy).setParameter(2, sealed.wrappedKey()).setParameter(3, sealed.ciphertext())
                .setParameter(4, at).setParameter(5, keyId).setParameter(6, hospitalId).setParameter(7, sourceHospital)
                .setParameter(8, diagnosisId).executeUpdate());
    }

    /** Record {@code diagnosisId} from {@code sourceHospital} that {@code hospitalId} holds for {@code patientId}, opened. */
    public Optional<byte[]> find(String hospitalId, String sourceHospital, String patientId, String diagnosisId, SecretBytes wrapKey)
            throws DomainException {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT wrapped_key, ciphertext, stored_at, wrap_key_id FROM ih_record "
                        + "WHERE hospital_id = ?1 AND source_hospital = ?2 AND patient_id = ?3 AND diagnosis_id = ?4")
                .setParameter(1, hospitalId).setParameter(2, sourceHospital).setParameter(3, patientId).setParameter(4, diagnosisId)
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        long at = ((Number) rows.get(0)[2]).longValue();
        byte[] content;
        // the row names the key its per-record key is wrapped under (an unknown or retired key fails closed)
        SecretBytes key = wrapKeys.key(RecordWrapKeys.holder(hospitalId), (String) rows.get(0)[3], wrapKey);
        try {
            content = envelope(sourceHospital, diagnosisId).open(key, hospitalId, patientId, at, (byte[]) rows.get(0)[0],
                    (byte[]) rows.get(0)[1]);
        } catch (org.medledger.protocol.common.ProtocolException e) {
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "RECORD_UNREADABLE",
                    "the stored record does not open under this hospital's key");
        } finally {
            key.destroy();
        }
        FhirRecords.requireValid(content);
        return Optional.of(content);
    }

    /** One envelope label per record: binds the ciphertext to its source and record id too, so rows cannot be swapped. */
    static RecordEnvelope envelope(String sourceHospital, String diagnosisId) {
        return new RecordEnvelope(LABEL + "/" + sourceHospital.length() + ":" + sourceHospital + "/" + diagnosisId);
    }
}
