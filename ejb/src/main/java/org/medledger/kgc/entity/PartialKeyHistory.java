package org.medledger.kgc.entity;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.List;
import java.util.Optional;

import org.medledger.protocol.common.PartialKeyRenewal;

/**
 * The partial keys a party held before renewing under a newer master key generation (table
 * {@code kgc_partial_key_history}, public values only; {@code party_role} is the role for EMR-AUTH,
 * {@code <scheme>/<role>} for the other schemes), and the renewal's replacement of the current
 * partial key in an EMR-AUTH patient's or doctor's registration row. Each method admits exactly the
 * roles its callers run as (the renewal and state beans; the authority's desk runs as
 * {@code hospital-admin}); anyone else is refused by the container.
 */
@Stateless
@LocalBean
public class PartialKeyHistory {


    /** A superseded partial key: the key id it was issued under, its point {@code R} (base64), the renewal that replaced it. */
    public record Superseded(String kgcKeyId, String rBase64, long supersededAt, String supersededBy, String renewedBy,
                             long ledgerIndex) {
    }

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    /** The registration tables by role: table, id column, point column. */
    private static String[] table(String role) {
        return switch (role) {
            case "patient" -> new String[] {"kgc_patient_registration", "patient_id", "r_p1"};
            case "doctor" -> new String[] {"kgc_doctor_registration", "doctor_id", "r_d1"};
            default -> throw new IllegalArgumentException("no KGC registration table for role " + role);
        };
    }

    /** The {@code party_role} a kind's rows are kept under. */
    static String key(PartialKeyRenewal.Kind kind) {
        return "EMR-AUTH".equals(kind.scheme()) ? kind.role() : kind.scheme() + "/" + kind.role();
    }

    /**
     * Records {@code (oldKeyId, oldR)} as superseded and puts {@code (newKeyId, newR)} in the EMR-AUTH
     * registration row, only if that row still holds {@code oldKeyId} (a concurrent renewal loses); the
     * ledger index follows with {@link #recordLedgerIndex} once the entry is appended.
     *
     * @return whether the registration row was the expected one and is now renewed
     */
    @RolesAllowed({"patient", "doctor"})
    public boolean renew(PartialKeyRenewal.Kind kind, String partyId, String oldKeyId, String oldR, String newKeyId, String newR,
                         String renewedBy, long at) {
        String role = kind.role();
        String[] t = table(role);
        int updated = em.createNativeQuery("UPDATE " + t[0] + " SET " + t[2] + " = ?1, kgc_key_id = ?2 WHERE " + t[1]
                        + " = ?3 AND kgc_key_id = ?4 AND " + t[2] + " = ?5")
                .setParameter(1, newR).setParameter(2, newKeyId).setParameter(3, partyId).setParameter(4, oldKeyId)
                .setParameter(5, oldR).executeUpdate();
        if (updated != 1) {
            return false;
        }
        recordSuperseded(kind, partyId, oldKeyId, oldR, newKeyId, renewedBy, at);
        em.flush();
        return true;
    }

    /** Lists {@code (oldKeyId, oldR)} as superseded by the partial key under {@code newKeyId}. */
    @RolesAllowed({"patient", "doctor", "hospital-admin"})
    public void recordSuperseded(PartialKeyRenewal.Kind kind, String partyId, String oldKeyId, String oldR, String newKeyId, String renewedBy,
                                 long at) {
        em.createNativeQuery("INSERT INTO kgc_partial_key_history (party_role, party_id, kgc_key_id, r_point, superseded_at,"
                        + " superseded_by, renewed_by, ledger_index) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                .setParameter(1, key(kind)).setParameter(2, partyId).setParameter(3, oldKeyId).setParameter(4, oldR)
                .setParameter(5, at).setParameter(6, newKeyId).setParameter(7, renewedBy).setParameter(8, -1L)
                .executeUpdate();
    }

    /** The ledger entry of the renewal that superseded {@code partyId}'s partial key under {@code kgcKeyId}. */
    @RolesAllowed({"patient", "doctor", "hospital-admin"})
    public void recordLedgerIndex(PartialKeyRenewal.Kind kind, String partyId, String kgcKeyId, long ledgerIndex) {
        em.createNativeQuery("UPDATE kgc_partial_key_history SET ledger_index = ?1 WHERE party_role = ?2 AND party_id = ?3"
                        + " AND kgc_key_id = ?4")
                .setParameter(1, ledgerIndex).setParameter(2, key(kind)).setParameter(3, partyId).setParameter(4, kgcKeyId)
                .executeUpdate();
    }

    /** The key id of {@code partyId}'s newest renewal, if it renewed. */
    @RolesAllowed({"patient", "hospital-admin", "kgc-operator", "auditor"})
    public Optional<String> renewedTo(PartialKeyRenewal.Kind kind, String partyId) {
        List<Superseded> all = superseded(kind, partyId);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1).supersededBy());
    }

    /** The partial keys {@code partyId} held before, oldest first. */
    @RolesAllowed({"patient", "doctor", "hospital-admin", "kgc-operator", "auditor"})
    public List<Superseded> superseded(PartialKeyRenewal.Kind kind, String partyId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT kgc_key_id, r_point, superseded_at, superseded_by, renewed_by,"
                        + " ledger_index FROM kgc_partial_key_history WHERE party_role = ?1 AND party_id = ?2 ORDER BY id")
                .setParameter(1, key(kind)).setParameter(2, partyId).getResultList();
        return rows.stream().map(r -> new Superseded((String) r[0], (String) r[1], ((Number) r[2]).longValue(),
                (String) r[3], (String) r[4], ((Number) r[5]).longValue())).toList();
    }

    /** The superseded partial key of {@code partyId} issued under {@code kgcKeyId}, if any. */
    @RolesAllowed({"patient", "doctor", "hospital-admin"})
    public Optional<Superseded> superseded(PartialKeyRenewal.Kind kind, String partyId, String kgcKeyId) {
        return superseded(kind, partyId).stream().filter(s -> s.kgcKeyId().equals(kgcKeyId)).findFirst();
    }
}
