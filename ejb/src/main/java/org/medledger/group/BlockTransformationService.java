package org.medledger.group;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import org.medledger.consensus.LedgerNode;
import org.medledger.emrauth.HospitalCloudService;
import org.medledger.emrauth.PublicCloudService;
import org.medledger.ledger.contract.seeds.GroupAggContract;
import org.medledger.ledger.contract.seeds.GroupAggTransactions;
import org.medledger.ledger.node.Receipt;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;
import org.medledger.ledger.codec.Bytes;
import org.medledger.platform.DomainException;
import org.medledger.platform.Refusals;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.emrauth.EmrAuthRoles;
import org.medledger.protocol.group.Block;
import org.medledger.protocol.group.BlockTransformationSystem;
import org.medledger.protocol.group.ProducerRole;
import org.medledger.protocol.group.RecordKind;
import org.medledger.protocol.group.RecordProducer;
import org.medledger.protocol.group.UploadRecord;

/**
 * The block transformation system BT of GROUP-AGG (seed 004 §III-C) over the ledger: an upload
 * C_X (EHR by the circle's healthcare center, EMR by a doctor of the circle, PHR and APHR by the
 * patient) arrives inside a {@code group-agg.upload} transaction signed by its producer's ledger
 * key; BT runs every check of the protocol's {@link BlockTransformationSystem} (both ECDSA
 * signatures against the producer's KGC-certified directory key, producer role, receiver,
 * membership, timestamp window, replay), puts the transaction on the ledger and appends the block
 * to its chain (table {@code ga_block}, previous id, number, block time, nonce; difficulty 0 — the
 * ledger is permissioned).
 */
@Stateless
public class BlockTransformationService {

    private static final Logger LOG = Logger.getLogger(BlockTransformationService.class.getName());
    public static final int MAX_TRANSACTION = 48 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    @EJB
    GroupCircles circles;

    @EJB
    LedgerNode ledger;

    @EJB
    PublicCloudService pc;

    @EJB
    HospitalCloudService hospitals;

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    /** An appended block with its ledger entry. */
    public record Accepted(Block block, long logIndex) {
    }

    /** The circle's opening PHR (called by the group-key management while it creates the circle). */
    public Accepted acceptOpening(String groupId, byte[] transaction, String callerId) throws DomainException {
        GroupCircles.Circle c = circles.require(groupId);
        Transaction tx = uploadTransaction(transaction, callerId);
        UploadRecord record = record(tx);
        if (record.kind() != RecordKind.PHR) {
            throw new DomainException(DomainException.Kind.INVALID, "OPENING_NOT_PHR", "a circle opens with the patient's PHR");
        }
        return append(c, record, tx);
    }

    /** An upload by a member's device: PHR and APHR by the patient, EMR by a doctor of the circle. */
    public Accepted accept(String groupId, byte[] transaction, String callerId) throws DomainException {
        GroupCircles.Circle c = circles.requireMember(groupId, callerId);
        Transaction tx = uploadTransaction(transaction, callerId);
        UploadRecord record = record(tx);
        if (record.kind() == RecordKind.EHR) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_AUTHORIZED", "EHRs come from the circle's healthcare center");
        }
        return append(c, record, tx);
    }

    /**
     * The circle's healthcare center uploads an EHR (seed 004 §III-C1): s_H encrypted to the
     * patient's certified KEM key, signed with the center's own keys (hospital key store), on the
     * ledger under the center's ledger key.
     */
    public Accepted acceptEhr(String groupId, byte[] brief, byte[] sensitive) throws DomainException {
        GroupCircles.Circle c = circles.require(groupId);
        if (brief == null || sensitive == null || brief.length > 4096 || sensitive.length == 0 || sensitive.length > 32 * 1024) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_RECORD", "brief is at most 4 KiB, sensitive 1 byte to 32 KiB");
        }
        DirectoryEntry patient = pc.entry(EmrAuthRoles.PATIENT, c.ownerId()).orElseThrow(() -> new DomainException(
                DomainException.Kind.NOT_FOUND, "UNKNOWN_PATIENT", "the patient has no certified keys"));
        Environment env = pc.environment();
        return hospitals.withKeys(c.hospitalId(), (keys, ledgerSigner) -> {
            RecordProducer hc = new RecordProducer(c.hospitalId(), keys, env.clock(), env.random());
            UploadRecord record = hc.produce(RecordKind.EHR, "patient:" + c.ownerId(), patient.kemKey(), brief, sensitive);
            Transaction tx = GroupAggTransactions.upload(c.hospitalId(), record, null, env.clock().millis(), RANDOM.nextLong())
                    .sign(ledgerSigner);
            return append(c, record, tx);
        });
    }

    private Accepted append(GroupCircles.Circle c, UploadRecord record, Transaction tx) throws DomainException {
        requireCircleRules(c, record, tx);
        DirectoryEntry producer = pc.entry(directoryRole(record.kind()), record.producer()).orElseThrow(() -> new DomainException(
                DomainException.Kind.NOT_FOUND, "UNKNOWN_PRODUCER", "the producer has no certified keys"));
        Environment env = pc.environment();
        BlockTransformationSystem bt = new BlockTransformationSystem(Map.of(record.producer(), producer.signingKey()),
                Map.of(record.producer(), record.kind().producerRole()),
                (g, m) -> g.equals(c.groupId()) && m.equals(c.ownerId()), env.freshness(), 0);
        try {
            // V(C), role, receiver, membership, |T_BT − T_X| ≤ ΔT, first seen  (seed 004 §III-C)
            bt.check(record);
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        }
        Receipt r = ledger.submitSigned(tx);
        List<?> head = em.createNativeQuery("SELECT number, block_id FROM ga_block ORDER BY number DESC").setMaxResults(1).getResultList();
        long number = head.isEmpty() ? 0 : ((Number) ((Object[]) head.get(0))[0]).longValue() + 1;
        byte[] previous = head.isEmpty() ? new byte[32] : (byte[]) ((Object[]) head.get(0))[1];
        long now = env.clock().millis();
        byte[] id = Block.computeId(previous, number, now, record, 0);
        Block block = new Block(number, id, previous, 0, now, record);
        em.createNativeQuery("INSERT INTO ga_block (number, block_id, previous_id, nonce, block_time, group_id, epoch, kind, producer_id, "
                        + "record, log_index) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")
                .setParameter(1, number).setParameter(2, id).setParameter(3, previous).setParameter(4, 0L).setParameter(5, now)
                .setParameter(6, c.groupId()).setParameter(7, c.epoch()).setParameter(8, record.kind().name())
                .setParameter(9, record.producer()).setParameter(10, record.toBytes()).setParameter(11, r.logIndex()).executeUpdate();
        LOG.info(() -> "GROUP-AGG: " + record.kind() + " of " + record.producer() + " is block " + number + " (log index " + r.logIndex() + ")");
        return new Accepted(block, r.logIndex());
    }

    /** The circle's own rules on top of the protocol's: who writes which kind to whom, and the transaction says what the record says. */
    private void requireCircleRules(GroupCircles.Circle c, UploadRecord record, Transaction tx) throws DomainException {
        String patient = "patient:" + c.ownerId();
        String group = "group:" + c.groupId();
        boolean ok = switch (record.kind()) {
            case EHR -> record.producer().equals(c.hospitalId()) && record.receiver().equals(patient);
            case EMR -> record.receiver().equals(patient) && circles.isCurrentMember(c.groupId(), record.producer())
                    && circles.memberKey(record.producer()).map(m -> m.role().equals("doctor")).orElse(false);
            case PHR, APHR -> record.producer().equals(c.ownerId()) && record.receiver().equals(group);
        };
        if (!ok) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_AUTHORIZED",
                    record.kind() + " records of this circle come from its " + record.kind().producerRole().name().toLowerCase(java.util.Locale.ROOT)
                            + " and go to " + (record.kind().receiverPrefix().equals("group:") ? group : patient));
        }
        Arguments a = tx.body().args();
        boolean same;
        try {
            same = a.string("kind").equals(record.kind().name()) && a.string("recordId").equals(GroupAggTransactions.recordId(record))
                    && a.string("receiver").equals(record.receiver()) && a.number("recordTime") == record.timestamp()
                    && a.bytes("brief").equals(Bytes.of(record.brief())) && a.bytes("sensitive").equals(Bytes.of(record.sensitive()))
                    && (record.kind().receiverPrefix().equals("patient:") || a.string("groupId").equals(c.groupId()))
                    && tx.body().submitter().equals(record.producer());
        } catch (RuntimeException e) {
            same = false;
        }
        if (!same) {
            throw new DomainException(DomainException.Kind.INVALID, "TRANSACTION_MISMATCH", "the transaction's arguments differ from its record");
        }
    }

    private static String directoryRole(RecordKind kind) {
        ProducerRole role = kind.producerRole();
        return switch (role) {
            case HEALTHCARE_CENTER -> EmrAuthRoles.HOSPITAL_PRIVATE_CLOUD;
            case DOCTOR -> EmrAuthRoles.DOCTOR;
            case PATIENT -> EmrAuthRoles.PATIENT;
        };
    }

    private static Transaction uploadTransaction(byte[] encoded, String callerId) throws DomainException {
        if (encoded == null || encoded.length == 0 || encoded.length > MAX_TRANSACTION) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_TRANSACTION", "transaction must be 1 to " + MAX_TRANSACTION + " bytes");
        }
        Transaction tx;
        try {
            tx = Transaction.decode(encoded);
        } catch (RuntimeException e) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_TRANSACTION", "not a well-formed transaction");
        }
        if (!tx.body().contract().equals(GroupAggContract.NAME) || !tx.body().function().equals("upload")) {
            throw new DomainException(DomainException.Kind.INVALID, "WRONG_TRANSACTION", "expected group-agg.upload");
        }
        if (!tx.body().submitter().equals(callerId)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY", "an upload is signed by its producer, the caller");
        }
        return tx;
    }

    private static UploadRecord record(Transaction tx) throws DomainException {
        try {
            return UploadRecord.decode(tx.body().args().bytes("record").toArray());
        } catch (ProtocolException | RuntimeException e) {
            throw new DomainException(DomainException.Kind.INVALID, "MALFORMED_RECORD", "the upload's record does not decode");
        }
    }
}
