package org.medledger.interhospital;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RunAs;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;

import org.medledger.access.AccessEntry;
import org.medledger.access.AccessLedger;
import org.medledger.ledger.crypto.Signer;
import org.medledger.platform.DomainException;

/**
 * The holding hospital's access entry for a release to another hospital. The request reaches the
 * holder without a bearer token (hospital to hospital): by the time this bean is called the
 * requesting hospital is authenticated by the handshake and the release by the patient's
 * signature, and the holder writes its own entry, signed with its member key. The ledger node's
 * write roles are met by running as the hospital's role ({@code medical-center}, the hospital
 * cloud of every scheme), for this one call only.
 */
@Stateless
@PermitAll
@RunAs("medical-center")
public class HolderAccessEntry {

    @EJB
    AccessLedger accesses;

    public AccessLedger.Recorded append(AccessEntry entry, Signer holder) throws DomainException {
        return accesses.append(entry, holder);
    }
}
