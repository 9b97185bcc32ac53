package org.medledger.kgc.entity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.time.ZoneOffset;

/** Storage of KGC doctor registrations; entities stay in this package. */
@ApplicationScoped
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

    /** The SHA-256 (hex) of the certificate {@code doctorId} registered with, if registered. */
    public java.util.Optional<String> certificateFingerprint(String doctorId) {
        return em.createQuery("select r.certSha256 from DoctorRegistrationEntity r where r.doctorId = :d", String.class)
                .setParameter("d", doctorId)
                .getResultStream()
                .findFirst();
    }

    public void add(String doctorId, String rD1, String certSerial, String certSha256, String kgcKeyId, Instant at) {
        em.persist(new DoctorRegistrationEntity(doctorId, rD1, certSerial, certSha256, kgcKeyId,
                at.atOffset(ZoneOffset.UTC)));
        em.flush();
    }

    /** The newest {@code limit} registrations, newest first. */
    public java.util.List<org.medledger.kgc.DoctorRecord> newest(int limit) {
        return em.createQuery("select r.doctorId, r.certSerial, r.certSha256, r.kgcKeyId, r.registeredAt"
                        + " from DoctorRegistrationEntity r order by r.registeredAt desc, r.id desc", Object[].class)
                .setMaxResults(limit)
                .getResultStream()
                .map(DoctorRegistrations::record)
                .toList();
    }

    public java.util.Optional<org.medledger.kgc.DoctorRecord> find(String doctorId) {
        return em.createQuery("select r.doctorId, r.certSerial, r.certSha256, r.kgcKeyId, r.registeredAt"
                        + " from DoctorRegistrationEntity r where r.doctorId = :d", Object[].class)
                .setParameter("d", doctorId)
                .getResultStream()
                .findFirst()
                .map(DoctorRegistrations::record);
    }

    private static org.medledger.kgc.DoctorRecord record(Object[] r) {
        return new org.medledger.kgc.DoctorRecord((String) r[0], (String) r[1], (String) r[2], (String) r[3],
                ((java.time.OffsetDateTime) r[4]).toInstant());
    }
}
