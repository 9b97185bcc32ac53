package org.medledger.group;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.ArrayList;
import java.util.List;

import org.medledger.access.AccessEntry;
import org.medledger.access.AccessLedger;
import org.medledger.emrauth.HospitalCloudService;
import org.medledger.platform.DomainException;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.group.Block;
import org.medledger.protocol.group.UploadRecord;

/**
 * APHR storage and retrieval (seed 004 §III-E, the APHR search): a current member of a circle
 * gets the circle's blocks — the APHRs with the EHR, EMR and PHR blocks they cite — after the
 * access entry is on the ledger, signed by the circle's healthcare center, which holds the
 * records. A member decrypts s_G with the group key of the APHR's epoch and checks the three
 * source signatures on its own device.
 */
@Stateless
public class GroupRecordService {

    public static final String SCHEME = "GROUP-AGG";

    @EJB
    GroupCircles circles;

    @EJB
    AccessLedger accessLedger;

    @EJB
    HospitalCloudService hospitals;

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    /** A stored block, the epoch of the circle when it was appended and its ledger entry. */
    public record StoredBlock(Block block, long epoch, long logIndex) {
    }

    /** What a member receives: the blocks and where its access entry is on the ledger. */
    public record Release(List<StoredBlock> blocks, long accessLogIndex) {
    }

    public Release records(String groupId, String callerId) throws DomainException {
        GroupCircles.Circle c = circles.requireMember(groupId, callerId);
        List<StoredBlock> blocks = blocks(groupId);
        AccessEntry entry = new AccessEntry(SCHEME, c.hospitalId(), c.ownerId(), callerId, AccessEntry.Outcome.RELEASED,
                "GROUP_MEMBER", System.currentTimeMillis());
        // the access entry is committed on the ledger before anything is released (ACCESS_NOT_RECORDED otherwise)
        AccessLedger.Recorded recorded = hospitals.withKeys(c.hospitalId(), (keys, ledgerSigner) -> accessLedger.append(entry, ledgerSigner));
        return new Release(blocks, recorded.logIndex());
    }

    /** The log indexes of the circle's ledger entries, oldest first: every membership change and every upload. */
    public List<Long> ledgerEntries(String groupId, String callerId) throws DomainException {
        circles.requireMember(groupId, callerId);
        java.util.TreeSet<Long> out = new java.util.TreeSet<>();
        for (Object o : em.createNativeQuery("SELECT join_log_index, leave_log_index FROM ga_member WHERE group_id = ?1")
                .setParameter(1, groupId).getResultList()) {
            Object[] r = (Object[]) o;
            out.add(((Number) r[0]).longValue());
            if (r[1] != null) {
                out.add(((Number) r[1]).longValue());
            }
        }
        for (Object o : em.createNativeQuery("SELECT log_index FROM ga_block WHERE group_id = ?1").setParameter(1, groupId).getResultList()) {
            out.add(((Number) o).longValue());
        }
        return List.copyOf(out);
    }

    private List<StoredBlock> blocks(String groupId) {
        List<StoredBlock> out = new ArrayList<>();
        for (Object o : em.createNativeQuery("SELECT number, block_id, previous_id, nonce, block_time, record, epoch, log_index "
                + "FROM ga_block WHERE group_id = ?1 ORDER BY number").setParameter(1, groupId).getResultList()) {
            Object[] r = (Object[]) o;
            try {
                Block b = new Block(((Number) r[0]).longValue(), (byte[]) r[1], (byte[]) r[2], ((Number) r[3]).longValue(),
                        ((Number) r[4]).longValue(), UploadRecord.decode((byte[]) r[5]));
                out.add(new StoredBlock(b, ((Number) r[6]).longValue(), ((Number) r[7]).longValue()));
            } catch (ProtocolException e) {
                throw new IllegalStateException("stored block does not decode");
            }
        }
        return out;
    }
}
