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
import java.util.logging.Logger;

import org.medledger.consensus.LedgerNode;
import org.medledger.emrauth.EmrRecordStore;
import org.medledger.ledger.contract.seeds.KeyRotationContract;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.TxBody;
import org.medledger.platform.DomainException;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;

/**
 * Rotation of a hospital private cloud's record-wrapping key (issue 15), without downtime: a
 * hospital administrator rotates (a new key id wraps every record stored from then on; the
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

    @jakarta.ejb.EJB
    EmrRecordStore records;

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
        requireHospital(hospitalId);
        String holder = EmrRecordStore.holder(hospitalId);
        List<RecordWrapKeys.KeyState> states = wrapKeys.keys(holder);
        if (states.isEmpty()) {
            return List.of(new Key(RecordWrapKeys.INITIAL, RecordWrapKeys.CURRENT, records.countUnder(hospitalId, RecordWrapKeys.INITIAL),
                    0, "", null, null));
        }
        return states.stream().map(s -> new Key(s.keyId(), s.state(), records.countUnder(hospitalId, s.keyId()), s.createdAt(),
                s.createdBy(), s.logIndex(), s.retiredAt())).toList();
    }

    @RolesAllowed("hospital-admin")
    public Rotated rotate(String hospitalId) throws DomainException {
        String by = context.getCallerPrincipal().getName();
        String holder = EmrRecordStore.holder(hospitalId);
        try (KeyEntry entry = entry(hospitalId)) {
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
            return new Rotated(ids[0], ids[1], index, records.countUnder(hospitalId, ids[0]));
        }
    }

    /** Re-wraps up to {@code batch} records (its own transaction); returns {@code {re-wrapped, still to re-wrap}}. */
    @RolesAllowed("hospital-admin")
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public long[] rewrap(String hospitalId, int batch) throws DomainException {
        if (batch < 1 || batch > MAX_BATCH) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_BATCH", "batch must be 1 to " + MAX_BATCH);
        }
        try (KeyEntry entry = entry(hospitalId)) {
            return records.rewrapBatch(hospitalId, entry.recordWrapKey, batch);
        }
    }

    @RolesAllowed("hospital-admin")
    public void retire(String hospitalId, String keyId) throws DomainException {
        requireHospital(hospitalId);
        String by = context.getCallerPrincipal().getName();
        wrapKeys.retire(EmrRecordStore.holder(hospitalId), keyId, records.countUnder(hospitalId, keyId), System.currentTimeMillis());
        LOG.info(() -> "Record key " + keyId + " of hospital " + hospitalId + " retired by " + by);
    }

    private void requireHospital(String hospitalId) throws DomainException {
        entry(hospitalId).close();
    }

    /** The hospital's own key-store entry (its ledger key and key w0); refused if the hospital is not served here. */
    private KeyEntry entry(String hospitalId) throws DomainException {
        SecretBytes raw = keyStore.hospitalKeys(hospitalId).orElseThrow(() -> new DomainException(
                DomainException.Kind.NOT_FOUND, "UNKNOWN_HOSPITAL", "no hospital private cloud " + hospitalId + " is served here"));
        byte[] b = raw.reveal();
        try {
            return KeyEntry.decode(KeyEntry.EMR_AUTH_HPC, CurveProfile.p256(), b);
        } catch (ProtocolException e) {
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "HOSPITAL_KEY_UNAVAILABLE", "the hospital's keys cannot be read");
        } finally {
            java.util.Arrays.fill(b, (byte) 0);
            raw.destroy();
        }
    }
}
