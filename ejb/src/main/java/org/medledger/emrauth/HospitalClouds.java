package org.medledger.emrauth;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.List;

import org.medledger.consensus.LedgerNode;
import org.medledger.ledger.member.MemberDirectory;

/**
 * The hospital private clouds registered on this server (public facts: who registered which
 * cloud, when, and its ledger membership), for hospital IT, the KGC operator and auditors.
 */
@Stateless
public class HospitalClouds {

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    @EJB
    LedgerNode ledger;

    /** A registered hospital cloud; {@code state} is {@code active}, {@code revoked} or {@code not a ledger member}. */
    public record Cloud(String hospitalId, String registeredBy, long registeredAt, String state) {
    }

    /** Every registered hospital cloud, newest first (at most 500). */
    @RolesAllowed({"hospital-admin", "kgc-operator", "auditor", "doctor"})
    public List<Cloud> registered() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT hospital_id, registered_by, registered_at FROM hpc_registration "
                + "ORDER BY registered_at DESC").setMaxResults(500).getResultList();
        return rows.stream().map(r -> {
            String id = (String) r[0];
            String state = ledger.isRevoked(id) ? "revoked"
                    : ledger.state(MemberDirectory.NS_MEMBER, id).isPresent() ? "active" : "not a ledger member";
            return new Cloud(id, (String) r[1], ((Number) r[2]).longValue(), state);
        }).toList();
    }
}
