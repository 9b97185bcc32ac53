package org.medledger.emrauth;

import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.List;
import java.util.Optional;

import org.medledger.custody.RecordEnvelope;
import org.medledger.platform.DomainException;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.emrauth.AcceptedEmrVersion;

/**
 * A hospital private cloud's EMR versions at rest (table {@code hpc_emr_version}): each version's
 * FHIR content is AES-GCM encrypted under a fresh per-record key, and that key is wrapped
 * (AES-GCM) by the hospital's record key from the hospital key store. Both are bound to the
 * hospital, the patient and the version's time, so rows cannot be swapped between patients.
 */
// A session bean, not a CDI bean: the container resolves its persistence context through the EE
// component (Weld's own lookup of a CDI bean's @PersistenceContext can race the unit's installation
// on redeploy and fail the deployment with "persistence unit service not found").
@Stateless
@LocalBean
public class EmrRecordStore {

    /** Labels {@code MEDLEDGER/EMR-AUTH/HPC/record} and {@code …/record-key}, as the rows already stored. */
    static final RecordEnvelope ENVELOPE = new RecordEnvelope("MEDLEDGER/EMR-AUTH/HPC/record");

    /** The versions as one of the tables re-wrapped by a rotation of the hospital's record key. */
    public static final org.medledger.custody.RecordTable TABLE = new org.medledger.custody.RecordTable("EMR-AUTH", "hpc_emr_version", "id",
            "hospital_id = ?1", "patient_id, signed_at", null,
            org.medledger.custody.RecordTable.ofEntry(org.medledger.custody.KeyEntry.EMR_AUTH_HPC,
                    org.medledger.custody.HospitalKeyStore::hospitalKeys),
            (hospitalId, c) -> new org.medledger.custody.RecordTable.Binding(ENVELOPE, hospitalId, (String) c[0], ((Number) c[1]).longValue()));

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    @jakarta.ejb.EJB
    org.medledger.custody.RecordWrapKeys wrapKeys;

    /** The holder id of hospital {@code hospitalId}'s record keys. */
    public static String holder(String hospitalId) {
        return org.medledger.custody.RecordWrapKeys.holder(hospitalId);
    }

    /** Stores a version wrapped under the hospital's current record key ({@code initialKey}: key w0 of its entry), naming it. */
    public void store(String hospitalId, AcceptedEmrVersion v, SecretBytes initialKey) throws DomainException {
        try (org.medledger.custody.RecordWrapKeys.WrapKey k = wrapKeys.current(holder(hospitalId), initialKey)) {
            RecordEnvelope.Sealed sealed = ENVELOPE.seal(k.key(), hospitalId, v.idP(), v.createdAt(), v.content());
            em.createNativeQuery("INSERT INTO hpc_emr_version (hospital_id, patient_id, department_id, doctor_id, wrapped_key, "
                            + "ciphertext, doctor_signature, signed_at, stored_at, wrap_key_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
                    .setParameter(1, hospitalId).setParameter(2, v.idP()).setParameter(3, v.idDE()).setParameter(4, v.idD())
                    .setParameter(5, sealed.wrappedKey()).setParameter(6, sealed.ciphertext()).setParameter(7, v.doctorSignature())
                    .setParameter(8, v.createdAt()).setParameter(9, System.currentTimeMillis()).setParameter(10, k.keyId())
                    .executeUpdate();
        }
    }

    /** The newest version of {@code patientId}'s EMR in {@code departmentId} at {@code hospitalId}, decrypted and FHIR-validated. */
    public Optional<byte[]> latest(String hospitalId, String patientId, String departmentId, SecretBytes wrapKey)
            throws DomainException {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT wrapped_key, ciphertext, signed_at, wrap_key_id FROM hpc_emr_version "
                        + "WHERE hospital_id = ?1 AND patient_id = ?2 AND department_id = ?3 ORDER BY id DESC")
                .setParameter(1, hospitalId).setParameter(2, patientId).setParameter(3, departmentId).setMaxResults(1)
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        long t = ((Number) rows.get(0)[2]).longValue();
        byte[] content;
        // the row names the key its per-record key is wrapped under (an unknown or retired key fails closed)
        SecretBytes key = wrapKeys.key(holder(hospitalId), (String) rows.get(0)[3], wrapKey);
        try {
            content = ENVELOPE.open(key, hospitalId, patientId, t, (byte[]) rows.get(0)[0], (byte[]) rows.get(0)[1]);
        } catch (ProtocolException e) {
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "RECORD_UNREADABLE",
                    "the stored record does not open under this hospital's key");
        } finally {
            key.destroy();
        }
        FhirRecords.requireValid(content);
        return Optional.of(content);
    }
}
