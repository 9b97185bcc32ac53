package org.medledger.emrauth;

import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.medledger.platform.DomainException;
import org.medledger.protocol.common.Aead;
import org.medledger.protocol.common.AssociatedData;
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

    static final String CONTENT_AD = "MEDLEDGER/EMR-AUTH/HPC/record";
    private static final SecureRandom RANDOM = new SecureRandom();

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    /** A record sealed at rest: its per-record key wrapped by the holder's record key, and the content under it. */
    public record Sealed(byte[] wrappedKey, byte[] ciphertext) {
    }

    /**
     * Seals {@code content} under a fresh per-record key wrapped by {@code wrapKey}, both bound to
     * {@code label}, the holder, the patient and {@code at} (every scheme's records at rest).
     */
    public static Sealed seal(String label, SecretBytes wrapKey, String holderId, String patientId, long at, byte[] content) {
        byte[] k = new byte[Aead.KEY_LENGTH];
        RANDOM.nextBytes(k);
        SecretBytes recordKey = SecretBytes.copyOf(k);
        Arrays.fill(k, (byte) 0);
        try {
            byte[] ciphertext = Aead.seal(recordKey, new AssociatedData(label, holderId, patientId, at), content, RANDOM);
            byte[] raw = recordKey.reveal();
            try {
                return new Sealed(Aead.seal(wrapKey, new AssociatedData(label + "-key", holderId, patientId, at), raw, RANDOM),
                        ciphertext);
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        } finally {
            recordKey.destroy();
        }
    }

    /**
     * Opens a record {@link #seal}ed with the same label, holder, patient and time.
     *
     * @throws DomainException {@code RECORD_UNREADABLE} if it does not open under {@code wrapKey}
     */
    public static byte[] open(String label, SecretBytes wrapKey, String holderId, String patientId, long at, Sealed sealed)
            throws DomainException {
        try {
            byte[] raw = Aead.open(wrapKey, new AssociatedData(label + "-key", holderId, patientId, at), sealed.wrappedKey());
            SecretBytes recordKey = SecretBytes.copyOf(raw);
            Arrays.fill(raw, (byte) 0);
            try {
                return Aead.open(recordKey, new AssociatedData(label, holderId, patientId, at), sealed.ciphertext());
            } finally {
                recordKey.destroy();
            }
        } catch (ProtocolException e) {
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "RECORD_UNREADABLE",
                    "the stored record does not open under this hospital's key");
        }
    }

    public void store(String hospitalId, AcceptedEmrVersion v, SecretBytes wrapKey) {
        Sealed sealed = seal(CONTENT_AD, wrapKey, hospitalId, v.idP(), v.createdAt(), v.content());
        em.createNativeQuery("INSERT INTO hpc_emr_version (hospital_id, patient_id, department_id, doctor_id, wrapped_key, "
                        + "ciphertext, doctor_signature, signed_at, stored_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
                .setParameter(1, hospitalId).setParameter(2, v.idP()).setParameter(3, v.idDE()).setParameter(4, v.idD())
                .setParameter(5, sealed.wrappedKey()).setParameter(6, sealed.ciphertext()).setParameter(7, v.doctorSignature())
                .setParameter(8, v.createdAt()).setParameter(9, System.currentTimeMillis()).executeUpdate();
    }

    /** The newest version of {@code patientId}'s EMR in {@code departmentId} at {@code hospitalId}, decrypted and FHIR-validated. */
    public Optional<byte[]> latest(String hospitalId, String patientId, String departmentId, SecretBytes wrapKey)
            throws DomainException {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT wrapped_key, ciphertext, signed_at FROM hpc_emr_version "
                        + "WHERE hospital_id = ?1 AND patient_id = ?2 AND department_id = ?3 ORDER BY id DESC")
                .setParameter(1, hospitalId).setParameter(2, patientId).setParameter(3, departmentId).setMaxResults(1)
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        long t = ((Number) rows.get(0)[2]).longValue();
        byte[] content = open(CONTENT_AD, wrapKey, hospitalId, patientId, t, new Sealed((byte[]) rows.get(0)[0], (byte[]) rows.get(0)[1]));
        FhirRecords.requireValid(content);
        return Optional.of(content);
    }
}
