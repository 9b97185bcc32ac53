package org.medledger.consortium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medledger.consortium.testing.World;
import org.medledger.ledger.LedgerException;
import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.block.Block;
import org.medledger.ledger.block.BlockHeader;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.crypto.Signer;
import org.medledger.ledger.log.LogLeaf;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.merkle.MerkleAccumulator;
import org.medledger.ledger.store.memory.InMemoryLedgerStore;
import org.medledger.ledger.tx.Transaction;

/** Validation of ordered blocks at the node boundary: what a follower applies and what it refuses (nothing applied). */
class ReplicaLedgerTest {
    private World w;
    private ReplicaLedger leader;
    private ReplicaLedger follower;
    private InMemoryLedgerStore followerStore;

    @BeforeEach
    void open() {
        w = new World(3);
        leader = ReplicaLedger.open(new InMemoryLedgerStore(), w.consortium, "hospital-a", w.hospitalKeys.get("hospital-a"), w.clock);
        followerStore = new InMemoryLedgerStore();
        follower = ReplicaLedger.open(followerStore, w.consortium, "hospital-b", w.hospitalKeys.get("hospital-b"), w.clock);
    }

    private ReplicaLedger.Proposal cut(Transaction... txs) {
        List<org.medledger.ledger.node.Prepared> ps = new ArrayList<>();
        for (Transaction t : txs) {
            ps.add(leader.admit(t));
        }
        ReplicaLedger.Proposal p = leader.cut(ps).orElseThrow();
        leader.apply(p.block(), p.treeHead(), true);
        return p;
    }

    /** A well-formed block 0 over {@code txs}, signed by {@code key} in the name of {@code producer}. */
    private BlockWithHead block0(String producer, Signer key, List<Transaction> txs) {
        List<Digest> leaves = new ArrayList<>();
        for (int i = 0; i < txs.size(); i++) {
            leaves.add(LogLeaf.hash(i, txs.get(i)));
        }
        Digest root = MerkleAccumulator.rootOf(leaves);
        long t = w.clock.millis();
        long min = txs.stream().mapToLong(x -> x.body().timestamp()).min().orElse(0);
        long max = txs.stream().mapToLong(x -> x.body().timestamp()).max().orElse(0);
        BlockHeader h = new BlockHeader(0, Digest.ZERO, root, 0, txs.size(), root, t, min, max, producer, 0, 0);
        Block b = new Block(h, Bytes.of(key.sign(Block.signingBytes(h.hash()))), txs);
        return new BlockWithHead(b, SignedTreeHead.sign(w.consortium.logId(), txs.size(), root, t, producer, key));
    }

    private void assertRefused(ConsortiumReason reason, Supplier<ReplicaLedger.Applied> apply) {
        ConsortiumException e = assertThrows(ConsortiumException.class, apply::get);
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(0, follower.size());
        assertTrue(followerStore.head().isEmpty(), "nothing applied");
        assertTrue(followerStore.blocks(0, 10).isEmpty());
    }

    @Test
    void followerAppliesTheLeadersBlocksAndEndsWithTheSameRoot() {
        ReplicaLedger.Proposal p0 = cut(w.registration("p1", Role.PATIENT), w.registration("p2", Role.PATIENT));
        ReplicaLedger.Proposal p1 = cut(w.registration("d1", Role.DOCTOR));
        follower.apply(p0.block(), p0.treeHead(), false);
        ReplicaLedger.Applied a = follower.apply(p1.block(), p1.treeHead(), false);
        assertEquals(3, follower.size());
        assertEquals(leader.rootAt(3), follower.rootAt(3));
        assertEquals(leader.head().orElseThrow().hash(), follower.head().orElseThrow().hash());
        assertEquals(2, a.receipts().get(0).logIndex());
    }

    @Test
    void readOnlyContractChecksRunOnTheNodesCommittedState() {
        cut(w.consortium.membershipTransaction(w.kgcKey, w.clock.millis(), 1));
        follower.apply(leader.blocks(0, 1).get(0).block(), leader.blocks(0, 1).get(0).treeHead(), false);
        var same = org.medledger.ledger.tx.Arguments.builder().put("consortium", Bytes.of(w.consortium.encode())).build();
        follower.query(MembershipContract.NAME, "check", same);
        var other = org.medledger.ledger.tx.Arguments.builder().put("consortium", Bytes.of(new byte[] {1})).build();
        assertThrows(org.medledger.ledger.contract.ContractException.class, () -> follower.query(MembershipContract.NAME, "check", other));
        // a writing function is not a query
        assertThrows(org.medledger.ledger.contract.ContractException.class, () -> follower.query(MembershipContract.NAME, "record", same));
    }

    @Test
    void theVerifierRequiresAWitnessedCheckpointAndAChainThatExtendsIt() {
        cut(w.registration("p1", Role.PATIENT), w.registration("p2", Role.PATIENT));
        ReplicaLedger.Proposal p1 = cut(w.registration("p3", Role.PATIENT));
        SignedTreeHead head = p1.treeHead();
        List<Cosignature> two = new ArrayList<>();
        for (String h : List.of("hospital-a", "hospital-c")) {
            two.add(Cosignature.sign(h, head.treeSize(), head.rootHash(), head.timestamp(), w.hospitalKeys.get(h)));
        }
        ConsortiumVerifier v = new ConsortiumVerifier(w.consortium);
        var chain = org.medledger.ledger.verify.ChainSource.of(leader.store());
        assertTrue(v.verify(chain, new WitnessedTreeHead(head, two)).ok());
        assertEquals(ConsortiumReason.NO_QUORUM, assertThrows(ConsortiumException.class,
                () -> v.verify(chain, new WitnessedTreeHead(head, two.subList(0, 1)))).reason());
        // a chain that does not reach the witnessed head (a follower that lacks the last block) fails
        ReplicaLedger.Proposal p0 = leader.blocks(0, 1).stream().findFirst().map(b -> new ReplicaLedger.Proposal(b.block(), b.treeHead(), java.util.Map.of())).orElseThrow();
        follower.apply(p0.block(), p0.treeHead(), false);
        assertFalse(v.verify(org.medledger.ledger.verify.ChainSource.of(followerStore), new WitnessedTreeHead(head, two)).ok());
    }

    @Test
    void theMembershipIsRecordedOnTheLedgerAndANodeConfiguredOtherwiseRefusesToOpen() {
        ReplicaLedger.Proposal p = cut(w.consortium.membershipTransaction(w.kgcKey, w.clock.millis(), 1));
        follower.apply(p.block(), p.treeHead(), false);
        assertEquals(Bytes.of(w.consortium.encode()), follower.state(MembershipContract.NAMESPACE, MembershipContract.KEY).orElseThrow().value());
        // same store, same anchors, another quorum: refused at open
        Consortium stricter = new Consortium(w.anchors, w.hospitals, 3, w.contracts, P256SignatureScheme.INSTANCE);
        ConsortiumException e = assertThrows(ConsortiumException.class,
                () -> ReplicaLedger.open(followerStore, stricter, "hospital-b", w.hospitalKeys.get("hospital-b"), w.clock));
        assertEquals(ConsortiumReason.UNKNOWN_NODE, e.reason());
        ReplicaLedger.open(followerStore, w.consortium, "hospital-b", w.hospitalKeys.get("hospital-b"), w.clock).close();
        // the membership must carry the ledger's own trust anchors, endorsed by the KGC
        World other = new World(3, w.now + 1);
        Consortium foreign = other.consortium;
        Transaction foreignTx = foreign.membershipTransaction(w.kgcKey, w.clock.millis(), 2);
        assertThrows(LedgerException.class, () -> leader.admit(foreignTx));
        Transaction unendorsed = new Transaction(w.consortium.membershipTransaction(w.kgcKey, w.clock.millis(), 3).body(),
                w.consortium.membershipTransaction(w.kgcKey, w.clock.millis(), 3).signature(), List.of());
        assertEquals(LedgerReason.MISSING_ENDORSEMENT, assertThrows(LedgerException.class, () -> leader.admit(unendorsed)).reason());
    }

    @Test
    void aBlockAppliedAgainIsRecognisedAndChangesNothing() {
        ReplicaLedger.Proposal p0 = cut(w.registration("p1", Role.PATIENT));
        follower.apply(p0.block(), p0.treeHead(), false);
        ReplicaLedger.Applied again = follower.apply(p0.block(), p0.treeHead(), false);
        assertTrue(again.alreadyApplied());
        assertEquals(1, follower.size());
        assertEquals(1, followerStore.blocks(0, 10).size());
    }

    @Test
    void forgedBlockSignatureIsRefused() {
        Signer mallory = P256SignatureScheme.fromSeed(World.bytes("mallory"));
        BlockWithHead b = block0("hospital-a", mallory, List.of(w.registration("p1", Role.PATIENT)));
        assertRefused(ConsortiumReason.BAD_SIGNATURE, () -> follower.apply(b.block(), b.treeHead(), false));
    }

    @Test
    void blockSignedByAnotherHospitalThanItsProducerIsRefused() {
        BlockWithHead b = block0("hospital-b", w.hospitalKeys.get("hospital-a"), List.of(w.registration("p1", Role.PATIENT)));
        assertRefused(ConsortiumReason.BAD_SIGNATURE, () -> follower.apply(b.block(), b.treeHead(), false));
    }

    @Test
    void treeHeadSignedByAnotherNodeThanTheProducerIsRefused() {
        BlockWithHead b = block0("hospital-a", w.hospitalKeys.get("hospital-a"), List.of(w.registration("p1", Role.PATIENT)));
        SignedTreeHead other = SignedTreeHead.sign(w.consortium.logId(), b.treeHead().treeSize(), b.treeHead().rootHash(), b.treeHead().timestamp(),
                "hospital-c", w.hospitalKeys.get("hospital-c"));
        assertRefused(ConsortiumReason.WRONG_SIGNER, () -> follower.apply(b.block(), other, false));
    }

    @Test
    void blockFromAnUnknownNodeIsRefused() {
        Signer mallory = P256SignatureScheme.fromSeed(World.bytes("mallory"));
        BlockWithHead b = block0("mallory", mallory, List.of(w.registration("p1", Role.PATIENT)));
        assertRefused(ConsortiumReason.UNKNOWN_NODE, () -> follower.apply(b.block(), b.treeHead(), false));
    }

    @Test
    void outOfOrderBlocksAreRefused() {
        cut(w.registration("p1", Role.PATIENT));
        ReplicaLedger.Proposal p1 = cut(w.registration("p2", Role.PATIENT));
        assertRefused(ConsortiumReason.OUT_OF_ORDER, () -> follower.apply(p1.block(), p1.treeHead(), false));
    }

    @Test
    void blockWithAWrongFirstLogIndexIsRefused() {
        Transaction t = w.registration("p1", Role.PATIENT);
        Digest leaf = LogLeaf.hash(5, t);
        Digest root = MerkleAccumulator.rootOf(List.of(leaf));
        long now = w.clock.millis();
        Signer a = w.hospitalKeys.get("hospital-a");
        BlockHeader h = new BlockHeader(0, Digest.ZERO, root, 5, 1, root, now, t.body().timestamp(), t.body().timestamp(), "hospital-a", 0, 0);
        Block b = new Block(h, Bytes.of(a.sign(Block.signingBytes(h.hash()))), List.of(t));
        assertRefused(ConsortiumReason.OUT_OF_ORDER, () -> follower.apply(b, SignedTreeHead.sign(w.consortium.logId(), 6, root, now, "hospital-a", a), false));
    }

    @Test
    void aLeaderCannotSlipInATransactionWithAForgedSubmitterSignature() {
        Transaction good = w.registration("p1", Role.PATIENT);
        Transaction forged = new Transaction(good.body(), Bytes.of(new byte[64]), good.endorsements());
        BlockWithHead b = block0("hospital-a", w.hospitalKeys.get("hospital-a"), List.of(forged));
        assertRefused(ConsortiumReason.INVALID_TRANSACTION, () -> follower.apply(b.block(), b.treeHead(), false));
    }

    @Test
    void aLeaderCannotSlipInATransactionTheContractRefuses() {
        // The same member registered twice in one block: the contract refuses the second at its position.
        BlockWithHead b = block0("hospital-a", w.hospitalKeys.get("hospital-a"),
                List.of(w.registration("p1", Role.PATIENT), w.registration("p1", Role.PATIENT)));
        assertRefused(ConsortiumReason.INVALID_TRANSACTION, () -> follower.apply(b.block(), b.treeHead(), false));
    }

    @Test
    void aLeaderCannotSlipInATransactionWithoutTheRequiredEndorsement() {
        Transaction good = w.registration("p1", Role.PATIENT);
        Transaction unendorsed = new Transaction(good.body(), good.signature(), List.of());
        BlockWithHead b = block0("hospital-a", w.hospitalKeys.get("hospital-a"), List.of(unendorsed));
        assertRefused(ConsortiumReason.INVALID_TRANSACTION, () -> follower.apply(b.block(), b.treeHead(), false));
    }

    @Test
    void aTreeHeadThatDoesNotMatchTheBlockIsRefused() {
        BlockWithHead b = block0("hospital-a", w.hospitalKeys.get("hospital-a"), List.of(w.registration("p1", Role.PATIENT)));
        SignedTreeHead lie = SignedTreeHead.sign(w.consortium.logId(), 1, Digest.sha256(World.bytes("another history")), b.treeHead().timestamp(),
                "hospital-a", w.hospitalKeys.get("hospital-a"));
        assertRefused(ConsortiumReason.BLOCK_MISMATCH, () -> follower.apply(b.block(), lie, false));
    }

    @Test
    void aBlockWhoseTransactionsDoNotMatchItsRootIsRefused() {
        BlockWithHead b = block0("hospital-a", w.hospitalKeys.get("hospital-a"), List.of(w.registration("p1", Role.PATIENT)));
        Block swapped = new Block(b.block().header(), b.block().producerSignature(), List.of(w.registration("p2", Role.PATIENT)));
        assertRefused(ConsortiumReason.BLOCK_MISMATCH, () -> follower.apply(swapped, b.treeHead(), false));
    }

    @Test
    void malformedWireBlocksAreRefusedAsMalformed() {
        BlockWithHead b = block0("hospital-a", w.hospitalKeys.get("hospital-a"), List.of(w.registration("p1", Role.PATIENT)));
        byte[] enc = b.encode();
        for (int cut : new int[] {0, 1, 10, enc.length / 2, enc.length - 1}) {
            byte[] part = java.util.Arrays.copyOf(enc, cut);
            assertEquals(ConsortiumReason.MALFORMED, assertThrows(ConsortiumException.class, () -> BlockWithHead.decode(part)).reason());
        }
        byte[] flipped = enc.clone();
        flipped[5] ^= 1;
        assertEquals(ConsortiumReason.MALFORMED, assertThrows(ConsortiumException.class, () -> BlockWithHead.decode(flipped)).reason());
        assertEquals(b.block().header(), BlockWithHead.decode(enc).block().header());
    }

    @Test
    void admissionRefusesWithTheLedgersReasons() {
        Transaction t = w.registration("p1", Role.PATIENT);
        cut(t);
        assertEquals(LedgerReason.DUPLICATE_TRANSACTION, assertThrows(LedgerException.class, () -> leader.admit(t)).reason());
        Transaction forged = new Transaction(w.registration("p2", Role.PATIENT).body(), Bytes.of(new byte[64]), List.of());
        assertThrows(LedgerException.class, () -> leader.admit(forged));
        assertFalse(leader.cut(List.of()).isPresent());
    }

    @Test
    void theLeaderLeavesOutWhatTheContractsNowRefuseAndSaysWhy() {
        Transaction first = w.registration("p1", Role.PATIENT);
        Transaction second = w.registration("p1", Role.PATIENT);
        ReplicaLedger.Proposal p = leader.cut(List.of(leader.admit(first), leader.admit(second))).orElseThrow();
        assertEquals(1, p.block().transactions().size());
        assertEquals(LedgerReason.ALREADY_EXISTS, p.refused().get(second.id()).reason());
    }
}
