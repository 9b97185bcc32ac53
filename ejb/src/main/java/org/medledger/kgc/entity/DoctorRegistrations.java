package org.medledger.kgc.entity;

import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.time.ZoneOffset;

/** Storage of KGC doctor registrations; entities stay in this package. */
// A session bean, not a CDI bean: the container resolves its persistence context through the EE
// component (Weld's own lookup of a CDI bean's @PersistenceContext can race the unit's installation
// on redeploy and fail the deployment with "persistence unit service not found").
@Stateless
@LocalBean
public class DoctorRegistrations {

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    public boolean exists(String doctorId) {
        return !em.createQuery("select r.id from DoctorRegistrationEntity r where r.doctorId = :d", Long.class)
                .setParameter("d", doctorId)
                .setMaxResults(1)
                .getResultList()
                .isEmpty();
    }

    private static final String RECORD = "select r.doctorId, r.rD1, r.certSerial, r.certSha256, r.registeredBy,"
            + " r.registeredAt, r.kgcKeyId from DoctorRegistrationEntity r";

    /** The public record of {@code doctorId}'s registration, with who registered it. */
    public java.util.Optional<org.medledger.kgc.IssuedRegistration.DoctorRecord> find(String doctorId) {
        return em.createQuery(RECORD + " where r.doctorId = :d", Object[].class)
                .setParameter("d", doctorId)
                .getResultStream()
                .findFirst()
                .map(DoctorRegistrations::record);
    }

    /** The newest {@code limit} registrations, newest first. */
    public java.util.List<org.medledger.kgc.IssuedRegistration.DoctorRecord> newest(int limit) {
        return em.createQuery(RECORD + " order by r.registeredAt desc, r.id desc", Object[].class)
                .setMaxResults(limit)
                .getResultStream()
                .map(DoctorRegistrations::record)
                .toList();
    }

    private static org.medledger.kgc.IssuedRegistration.DoctorRecord record(Object[] o) {
        return new org.medledger.kgc.IssuedRegistration.DoctorRecord((String) o[0], (String) o[1], (String) o[2],
                (String) o[3], (String) o[4], ((java.time.OffsetDateTime) o[5]).toInstant(), (String) o[6]);
    }

    /** The SHA-256 (hex) of the certificate {@code doctorId} registered with, if registered. */
    public java.util.Optional<String> certificateFingerprint(String doctorId) {
        return em.createQuery("select r.certSha256 from DoctorRegistrationEntity r where r.doctorId = :d", String.class)
                .setParameter("d", doctorId)
                .getResultStream()
                .findFirst();
    }

    /**
     * Removes {@code doctorId}'s registration before it registers again after a revocation; the
     * ledger keeps the earlier registration, its revocation and who asked for each.
     */
    public void remove(String doctorId) {
        em.createQuery("delete from DoctorRegistrationEntity r where r.doctorId = :d").setParameter("d", doctorId).executeUpdate();
        em.flush();
    }

    public void add(String doctorId, String rD1, String certSerial, String certSha256, String kgcKeyId,
                    String registeredBy, Instant at) {
        em.persist(new DoctorRegistrationEntity(doctorId, rD1, certSerial, certSha256, kgcKeyId, registeredBy,
                at.atOffset(ZoneOffset.UTC)));
        em.flush();
    }
}
