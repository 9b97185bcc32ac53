package org.medledger.consent;

import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.medledger.consensus.LedgerNode;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.ledger.member.MemberDirectory;
import org.medledger.ledger.state.StateKey;
import org.medledger.ledger.state.VersionedValue;
import org.medledger.ledger.tx.Arguments;

/**
 * The consents a patient gave, for the patient to see and revoke: which (grantee, scope) pairs it
 * submitted is kept in table {@code patient_consent} when {@link ConsentService} submits them;
 * each one's state (expiry, revoked) is read from the ledger's consent contract, the only place a
 * record holder reads it from too.
 */
@Stateless
public class PatientConsents {

    /** The consent contract's namespace in the world state. */
    static final String NS_CONSENT = "consent";

    @EJB
    LedgerNode ledger;

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    @Resource
    SessionContext context;

    /** A consent as the ledger holds it now. */
    public record Consent(String granteeId, String granteeRole, String scope, long expiry, boolean revoked,
                          long firstLogIndex, long lastLogIndex) {
        /** {@code active}, {@code expired} or {@code revoked} at {@code now}. */
        public String state(long now) {
            return revoked ? "revoked" : expiry < now ? "expired" : "active";
        }
    }

    /** Notes that the caller's consent for {@code (granteeId, scope)} is on the ledger (first time only). */
    @RolesAllowed("patient")
    public void noted(String patientId, String granteeId, String scope, long logIndex) {
        if (!patientId.equals(context.getCallerPrincipal().getName())) {
            return;
        }
        boolean known = !em.createNativeQuery("SELECT first_log_index FROM patient_consent WHERE patient_id = ?1 "
                        + "AND grantee_id = ?2 AND scope = ?3")
                .setParameter(1, patientId).setParameter(2, granteeId).setParameter(3, scope).getResultList().isEmpty();
        if (!known) {
            em.createNativeQuery("INSERT INTO patient_consent (patient_id, grantee_id, scope, first_log_index) "
                            + "VALUES (?1, ?2, ?3, ?4)")
                    .setParameter(1, patientId).setParameter(2, granteeId).setParameter(3, scope).setParameter(4, logIndex)
                    .executeUpdate();
        }
    }

    /** The caller's consents, in the order it first gave them, each in its state on the ledger. */
    @RolesAllowed("patient")
    public List<Consent> own() {
        String patient = context.getCallerPrincipal().getName();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT grantee_id, scope, first_log_index FROM patient_consent "
                + "WHERE patient_id = ?1 ORDER BY first_log_index").setParameter(1, patient).getResultList();
        List<Consent> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            String grantee = (String) r[0];
            String scope = (String) r[1];
            Optional<VersionedValue> v = ledger.state(NS_CONSENT, StateKey.compose(patient, grantee, scope));
            if (v.isEmpty()) {
                continue;
            }
            Arguments a = Arguments.decode(v.get().value().toArray());
            String role = ledger.state(MemberDirectory.NS_MEMBER, grantee)
                    .map(m -> MemberCertificate.decode(m.value()).role().name().toLowerCase(java.util.Locale.ROOT))
                    .orElse("unknown");
            out.add(new Consent(grantee, role, scope, a.number("expiry"), "true".equals(a.string("revoked")),
                    ((Number) r[2]).longValue(), v.get().version() - 1));
        }
        return out;
    }
}
