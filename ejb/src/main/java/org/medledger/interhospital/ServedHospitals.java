package org.medledger.interhospital;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.List;

/**
 * The INTER-HOSPITAL hospitals served by this server (public registration facts: who registered
 * which hospital and when), for hospital IT, the KGC operator and auditors. Where each one's partial
 * key stands is {@link InterHospitalKeyRenewal#hospitalState}.
 */
@Stateless
public class ServedHospitals {

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    /** A hospital served here: its id, the administrator who registered it, when (epoch milliseconds). */
    public record Served(String hospitalId, String registeredBy, long registeredAt) {
    }

    /** Every INTER-HOSPITAL hospital served here, by identifier (at most 500). */
    @RolesAllowed({"hospital-admin", "kgc-operator", "auditor"})
    public List<Served> registered() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT hospital_id, registered_by, registered_at FROM ih_hospital "
                + "ORDER BY hospital_id").setMaxResults(500).getResultList();
        return rows.stream().map(r -> new Served((String) r[0], (String) r[1], ((Number) r[2]).longValue())).toList();
    }
}
