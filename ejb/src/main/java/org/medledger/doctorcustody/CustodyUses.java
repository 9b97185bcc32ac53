package org.medledger.doctorcustody;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import org.medledger.access.AccessEntry;
import org.medledger.access.AccessLedger;
import org.medledger.emrauth.HospitalCloudService;
import org.medledger.platform.DomainException;

/**
 * The ledger entry of one use of a doctor's key in portal custody: an {@code access.record} entry
 * signed by the custodian hospital (holder), naming the patient the use concerns, the doctor and
 * the purpose, committed in a transaction of its own before the key is used — so it stays on the
 * ledger and in the patient's list whatever the use then does. If it cannot be written the key is
 * not used ({@code ACCESS_NOT_RECORDED}).
 */
@Stateless
public class CustodyUses {

    /** The scheme named in a custody key's use entries. */
    public static final String SCHEME = "EMR-AUTH/portal-custody";

    @EJB
    AccessLedger accesses;

    @EJB
    HospitalCloudService hospitals;

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public long record(String custodianId, String patientId, String doctorId, String purpose) throws DomainException {
        AccessEntry entry = new AccessEntry(SCHEME, custodianId, patientId, doctorId, AccessEntry.Outcome.RELEASED,
                "KEY_USE_" + purpose, System.currentTimeMillis());
        return accesses.append(entry, hospitals.ledgerSigner(custodianId)).logIndex();
    }
}
