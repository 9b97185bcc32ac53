package org.medledger.emrauth;

import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.List;

/**
 * Where a patient's records are: which hospital private cloud holds which EMR versions (department,
 * author, when signed and stored), from the hospitals' stores ({@code hpc_emr_version}). Public
 * facts only: no content and no key leaves here. A patient sees only its own.
 */
@Stateless
public class RecordLocations {

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    @Resource
    SessionContext context;

    /** One stored EMR version: its hospital, department, author and times (epoch milliseconds). */
    public record Version(String hospitalId, String departmentId, String doctorId, long signedAt, long storedAt) {
    }

    /** The caller's own EMR versions, by hospital and department, oldest first in each. */
    @RolesAllowed("patient")
    public List<Version> own() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT hospital_id, department_id, doctor_id, signed_at, stored_at "
                        + "FROM hpc_emr_version WHERE patient_id = ?1 ORDER BY hospital_id, department_id, id")
                .setParameter(1, context.getCallerPrincipal().getName()).setMaxResults(500).getResultList();
        return rows.stream().map(r -> new Version((String) r[0], (String) r[1], (String) r[2],
                ((Number) r[3]).longValue(), ((Number) r[4]).longValue())).toList();
    }
}
