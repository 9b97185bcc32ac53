package org.medledger.custody;

import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import org.medledger.consensus.LedgerNode;
import org.medledger.emrauth.EmrRecordStore;
import org.medledger.interhospital.InterHospitalRecords;
import org.medledger.ledger.contract.seeds.KeyRotationContract;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.TxBody;
import org.medledger.platform.DomainException;
import org.medledger.protocol.common.SecretBytes;

/**
 * Rotation of a hospital's record-wrapping key (issue 15), without downtime, for its records of
 * every scheme ({@link #TABLES}): the hospital's administrator rotates (a new key id wraps every record stored from then on; the
 * rotation is a ledger entry signed with the hospital's member key), re-wraps the stored records
 * in batches while the server keeps serving (records under the old key stay readable until
 * re-wrapped), and retires the old key once no record is wrapped under it.
 */
@Stateless
public class HospitalRecordKeys {

    private static final Logger LOG = Logger.getLogger(HospitalRecordKeys.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final int MAX_BATCH = 500;

    @Inject
    HospitalKeyStore keyStore;

    @jakarta.ejb.EJB
    RecordWrapKeys wrapKeys;

    @jakarta.persistence.PersistenceContext(unitName = "medledger")
    jakarta.persistence.EntityManager em;

    /** Every table of records a hospital holds at rest, one per scheme: one rotation covers them all. */
    static final List<RecordTable> TABLES = List.of(EmrRecordStore.TABLE, InterHospitalRecords.TABLE,
            org.medledger.cloudchain.CloudServerService.TABLE, org.medledger.abe.AbeChainService.TABLE);

    @jakarta.ejb.EJB
    LedgerNode ledger;

    @Resource
    SessionContext context;

    /** A key as listed: its state and how many records are wrapped under it. */
    public record Key(String keyId, String state, long records, long createdAt, String createdBy, Long logIndex, Long retiredAt) {
    }

    public record Rotated(String previousKeyId, String keyId, long logIndex, long toRewrap) {
    }

    @RolesAllowed({"hospital-admin", "auditor"})
    public List<Key> keys(String hospitalId) throws DomainException {
        requireAdminOrAuditor(hospitalId);
        List<RecordWrapKeys.KeyState> states = wrapKeys.keys(RecordWrapKeys.holder(hospitalId));
        if (states.isEmpty()) {
            return List.of(new Key(RecordWrapKeys.INITIAL, RecordWrapKeys.CURRENT, countUnder(hospitalId, RecordWrapKeys.INITIAL),
                    0, "", null, null));
        }
        return states.stream().map(s -> new Key(s.keyId(), s.state(), countUnder(hospitalId, s.keyId()), s.createdAt(),
                s.createdBy(), s.logIndex(), s.retiredAt())).toList();
    }

    @RolesAllowed("hospital-admin")
    public Rotated rotate(String hospitalId) throws DomainException {
        String by = requireAdmin(hospitalId);
        String holder = RecordWrapKeys.holder(hospitalId);
        try (KeyEntry entry = anyEntry(hospitalId)) {
            long now = System.currentTimeMillis();
            String[] ids = wrapKeys.rotate(holder, by, now);
            TxBody body = new TxBody(hospitalId, KeyRotationContract.NAME, "rotate", Arguments.builder()
                    .put("purpose", KeyRotationContract.RECORD_WRAP).put("holderId", hospitalId)
                    .put("oldKeyId", ids[0]).put("newKeyId", ids[1]).put("rotatedBy", by).put("at", now).build(),
                    now, RANDOM.nextLong());
            var signer = entry.ledgerSigner();
            long index = ledger.submitSigned(body.sign(signer).endorse(hospitalId, signer)).logIndex();
            wrapKeys.recordLedgerEntry(holder, ids[1], index);
            LOG.info(() -> "Record key of hospital " + hospitalId + " rotated by " + by + ": " + ids[0] + " -> " + ids[1]
                    + ", ledger entry " + index);
            return new Rotated(ids[0], ids[1], index, countUnder(hospitalId, ids[0]));
        }
    }

    /**
     * Re-wraps up to {@code batch} of the hospital's records of every scheme (its own transaction);
     * returns {@code {re-wrapped, still to re-wrap}}.
     */
    @RolesAllowed("hospital-admin")
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public long[] rewrap(String hospitalId, int batch) throws DomainException {
        if (batch < 1 || batch > MAX_BATCH) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_BATCH", "batch must be 1 to " + MAX_BATCH);
        }
        requireAdmin(hospitalId);
        long done = 0;
        long pending = 0;
        for (RecordTable t : TABLES) {
            if (done < batch) {
                SecretBytes w0 = t.initialKey().find(keyStore, hospitalId).orElse(null);
                try {
                    done += wrapKeys.rewrapBatch(t, hospitalId, w0, (int) (batch - done));
                } finally {
                    if (w0 != null) {
                        w0.destroy();
                    }
                }
            }
            pending += wrapKeys.pending(t, hospitalId);
        }
        return new long[] {done, pending};
    }

    @RolesAllowed("hospital-admin")
    public void retire(String hospitalId, String keyId) throws DomainException {
        String by = requireAdmin(hospitalId);
        wrapKeys.retire(RecordWrapKeys.holder(hospitalId), keyId, countUnder(hospitalId, keyId), System.currentTimeMillis());
        LOG.info(() -> "Record key " + keyId + " of hospital " + hospitalId + " retired by " + by);
    }

    private long countUnder(String hospitalId, String keyId) {
        return TABLES.stream().mapToLong(t -> wrapKeys.countUnder(t, hospitalId, keyId)).sum();
    }

    /**
     * The caller, if it is the administrator of {@code hospitalId}: the hospital-admin who
     * registered it (in any scheme it is served in here). An administrator of another hospital is
     * refused ({@code NOT_HOSPITAL_ADMIN}), an unknown hospital is {@code UNKNOWN_HOSPITAL}.
     */
    private String requireAdmin(String hospitalId) throws DomainException {
        String caller = context.getCallerPrincipal().getName();
        List<String> admins = admins(hospitalId);
        if (!admins.contains(caller)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_HOSPITAL_ADMIN",
                    "only an administrator of hospital " + hospitalId + " manages its record keys");
        }
        return caller;
    }

    private void requireAdminOrAuditor(String hospitalId) throws DomainException {
        if (context.isCallerInRole("auditor")) {
            admins(hospitalId);
        } else {
            requireAdmin(hospitalId);
        }
    }

    /** Who registered {@code hospitalId} in each scheme it is served in here; refused if it is served in none. */
    private List<String> admins(String hospitalId) throws DomainException {
        @SuppressWarnings("unchecked")
        List<Object> rows = em.createNativeQuery("SELECT registered_by FROM hpc_registration WHERE hospital_id = ?1 "
                + "UNION SELECT registered_by FROM ih_hospital WHERE hospital_id = ?1").setParameter(1, hospitalId).getResultList();
        if (rows.isEmpty()) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "UNKNOWN_HOSPITAL", "no hospital " + hospitalId + " is served here");
        }
        return rows.stream().map(Object::toString).toList();
    }

    /** The hospital's entry in EMR-AUTH or INTER-HOSPITAL (its ledger member key signs the rotation). */
    private KeyEntry anyEntry(String hospitalId) throws DomainException {
        Optional<SecretBytes> emr = keyStore.hospitalKeys(hospitalId);
        if (emr.isPresent()) {
            return KeyEntry.open(KeyEntry.EMR_AUTH_HPC, emr.get());
        }
        return KeyEntry.open(KeyEntry.INTER_HOSPITAL, keyStore.interHospitalKeys(hospitalId).orElseThrow(() -> new DomainException(
                DomainException.Kind.UNAVAILABLE, "HOSPITAL_KEY_UNAVAILABLE", "the hospital's keys are missing")));
    }
}
