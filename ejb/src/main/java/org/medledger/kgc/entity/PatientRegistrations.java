package org.medledger.kgc.entity;

import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import org.medledger.kgc.IssuedRegistration;

/** Storage of KGC patient registrations; entities stay in this package. */
// A session bean, not a CDI bean: the container resolves its persistence context through the EE
// component (Weld's own lookup of a CDI bean's @PersistenceContext can race the unit's installation
// on redeploy and fail the deployment with "persistence unit service not found").
@Stateless
@LocalBean
public class PatientRegistrations {

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    public boolean exists(String patientId) {
        return !em.createQuery("select r.id from PatientRegistrationEntity r where r.patientId = :p", Long.class)
                .setParameter("p", patientId)
                .setMaxResults(1)
                .getResultList()
                .isEmpty();
    }

    public long add(String patientId, String rP1, String kgcKeyId, String registeredBy, Instant at) {
        PatientRegistrationEntity e = new PatientRegistrationEntity(patientId, rP1, kgcKeyId, registeredBy,
                at.atOffset(ZoneOffset.UTC));
        em.persist(e);
        em.flush();
        return e.id();
    }

    public Optional<IssuedRegistration.Record> find(String patientId) {
        return em.createQuery("select r from PatientRegistrationEntity r where r.patientId = :p",
                        PatientRegistrationEntity.class)
                .setParameter("p", patientId)
                .getResultStream()
                .findFirst()
                .map(e -> new IssuedRegistration.Record(e.patientId(), e.rP1(), e.kgcKeyId(),
                        e.registeredBy(), e.registeredAt().toInstant()));
    }

    /** The newest {@code limit} registrations, newest first. */
    public java.util.List<IssuedRegistration.Record> newest(int limit) {
        return em.createQuery("select r from PatientRegistrationEntity r order by r.registeredAt desc, r.id desc",
                        PatientRegistrationEntity.class)
                .setMaxResults(limit)
                .getResultStream()
                .map(e -> new IssuedRegistration.Record(e.patientId(), e.rP1(), e.kgcKeyId(),
                        e.registeredBy(), e.registeredAt().toInstant()))
                .toList();
    }
}
