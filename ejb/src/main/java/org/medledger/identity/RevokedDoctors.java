package org.medledger.identity;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;

import org.medledger.consensus.LedgerNode;

/**
 * Whether the ledger records a doctor's revocation. Asked on every API call a doctor makes, so an
 * access token issued before the revocation stops working at once, not when it expires.
 */
@Stateless
public class RevokedDoctors {

    @EJB
    LedgerNode ledger;

    @RolesAllowed("doctor")
    public boolean isRevoked(String doctorId) {
        return ledger.isRevoked(doctorId);
    }
}
