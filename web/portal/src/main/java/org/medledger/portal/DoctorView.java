package org.medledger.portal;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.Optional;

import org.medledger.audit.LedgerAudit;
import org.medledger.kgc.IssuedRegistration.DoctorRecord;
import org.medledger.kgc.boundary.KgcRegistrationService;
import org.medledger.platform.DomainException;

/** The signed-in doctor's registration, certificate and ledger membership. */
@Named
@RequestScoped
public class DoctorView {

    /** A doctor registration with its ledger membership. */
    public record Status(DoctorRecord registration, boolean member, boolean revoked) {
        public String getState() {
            if (revoked) {
                return "revoked";
            }
            return member ? "active" : "not a ledger member";
        }
    }

    @Inject
    KgcRegistrationService kgc;

    @EJB
    LedgerAudit audit;

    private Optional<Status> status;

    public Status getStatus() {
        if (status == null) {
            String me = Outcomes.user();
            try {
                DoctorRecord r = kgc.doctorRegistration(me);
                boolean[] m = audit.ownMembership();
                status = Optional.of(new Status(r, m[0], m[1]));
            } catch (DomainException e) {
                status = Optional.empty();
            }
        }
        return status.orElse(null);
    }

    public boolean isRegistered() {
        return getStatus() != null;
    }

    /** Whether the doctor's partial key was issued under an older KGC key id (renewal due after a rotation). */
    public boolean isRenewalDue() throws DomainException {
        return isRegistered() && !getStatus().registration().kgcKeyId().equals(kgc.currentKeyId());
    }

    /** The log index of the doctor's membership entry, -1 when it has none. */
    public long getMembershipEntry() {
        return audit.ownMembershipEntry().orElse(-1L);
    }
}
