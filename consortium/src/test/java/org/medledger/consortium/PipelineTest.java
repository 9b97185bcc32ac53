package org.medledger.consortium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medledger.consortium.testing.World;
import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.block.Block;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.node.Prepared;
import org.medledger.ledger.store.memory.InMemoryLedgerStore;
import org.medledger.ledger.tx.Transaction;

/**
 * Several blocks in flight: the leader cuts each block on top of the ones it proposed and that
 * are not applied yet; every node applies them strictly in order, checking number, previous
 * hash and first log index; a refused block is never built upon.
 */
class PipelineTest {
    private World w;
    private ReplicaLedger leader;
    private ReplicaLedger other;
    private InMemoryLedgerStore followerStore;
    private ReplicaLedger follower;

    @BeforeEach
    void open() {
        w = new World(3);
        leader = ReplicaLedger.open(new InMemoryLedgerStore(), w.consortium, "hospital-a", w.hospitalKeys.get("hospital-a"), w.clock);
        other = ReplicaLedger.open(new InMemoryLedgerStore(), w.consortium, "hospital-b", w.hospitalKeys.get("hospital-b"), w.clock);
        followerStore = new InMemoryLedgerStore();
        follower = ReplicaLedger.open(followerStore, w.consortium, "hospital-c", w.hospitalKeys.get("hospital-c"), w.clock);
    }

    /** Admits on {@code on} and cuts there, without applying (the block is in flight). */
    private static ReplicaLedger.Proposal cut(ReplicaLedger on, Transaction... txs) {
        List<Prepared> ps = new ArrayList<>();
        for (Transaction t : txs) {
            ps.add(on.admit(t));
        }
        return on.cut(ps).orElseThrow();
    }

    private static ReplicaLedger.Applied apply(ReplicaLedger on, ReplicaLedger.Proposal p, boolean own) {
        return on.apply(p.block(), p.treeHead(), own);
    }

    @Test
    void blocksCutOnTopOfUnappliedOnesAreAppliedInOrderEverywhere() {
        ReplicaLedger.Proposal p0 = cut(leader, w.registration("doc", Role.DOCTOR), w.registration("pat", Role.PATIENT));
        // block 0 is in flight: a second registration of "doc" passes admission (committed state) but the cut runs on
        // the pipeline's state, where "doc" exists already
        Transaction again = w.registration("doc", Role.DOCTOR);
        ReplicaLedger.Proposal p1 = leader.cut(List.of(leader.admit(again), leader.admit(w.registration("p2", Role.PATIENT)))).orElseThrow();
        assertEquals(LedgerReason.ALREADY_EXISTS, p1.refused().get(again.id()).reason());
        assertEquals(1, p1.block().transactions().size());
        ReplicaLedger.Proposal p2 = cut(leader, w.registration("p3", Role.PATIENT));
        assertEquals(3, leader.pipelined());
        assertEquals(0, leader.size(), "nothing applied yet");
        assertEquals(1, p1.block().header().number());
        assertEquals(p0.block().header().hash(), p1.block().header().previousHash());
        assertEquals(p0.block().header().logSize(), p1.block().header().firstLogIndex());
        assertEquals(p1.block().header().hash(), p2.block().header().previousHash());

        // a follower given block 1 before block 0 refuses it: order is checked at apply
        ConsortiumException early = assertThrows(ConsortiumException.class, () -> apply(follower, p1, false));
        assertEquals(ConsortiumReason.OUT_OF_ORDER, early.reason());
        assertTrue(followerStore.head().isEmpty());

        for (ReplicaLedger.Proposal p : List.of(p0, p1, p2)) {
            assertFalse(apply(leader, p, true).alreadyApplied());
            assertFalse(apply(follower, p, false).alreadyApplied());
        }
        assertEquals(0, leader.pipelined());
        assertEquals(leader.size(), follower.size());
        assertEquals(leader.rootAt(leader.size()), follower.rootAt(follower.size()));
        assertEquals(leader.head().orElseThrow().hash(), follower.head().orElseThrow().hash());
    }

    @Test
    void aRefusedBlockInThePipelineIsNeverBuiltUponAndTheLeaderStartsAgainFromTheAppliedChain() {
        ReplicaLedger.Proposal p0 = cut(leader, w.registration("p0", Role.PATIENT));
        ReplicaLedger.Proposal p1 = cut(leader, w.registration("p1", Role.PATIENT));
        ReplicaLedger.Proposal p2 = cut(leader, w.registration("p2", Role.PATIENT));
        // block 1 arrives altered (its transaction's signature replaced): refused by every node
        Transaction t1 = p1.block().transactions().get(0);
        Transaction forged = new Transaction(t1.body(), Bytes.of(new byte[64]), t1.endorsements());
        Block bad = new Block(p1.block().header(), p1.block().producerSignature(), List.of(forged));
        for (ReplicaLedger r : List.of(leader, follower)) {
            apply(r, p0, r == leader);
            // on the leader it is its own proposal's header, but not the transactions it cut: validated in full, refused
            assertThrows(ConsortiumException.class, () -> r.apply(bad, p1.treeHead(), r == leader));
            // block 2 links to the real block 1, which no node applied: refused, nothing applied on top of the refused block
            ConsortiumException after = assertThrows(ConsortiumException.class, () -> apply(r, p2, r == leader));
            assertEquals(ConsortiumReason.OUT_OF_ORDER, after.reason());
            assertEquals(p0.block().header().logSize(), r.size());
            assertEquals(p0.block().header().hash(), r.head().orElseThrow().hash());
        }
        assertEquals(0, leader.pipelined(), "the refusal emptied the pipeline");
        // the next cut is block 1 again, on the applied chain, and every node takes it
        ReplicaLedger.Proposal again = cut(leader, w.registration("p1-again", Role.PATIENT));
        assertEquals(1, again.block().header().number());
        assertEquals(p0.block().header().hash(), again.block().header().previousHash());
        apply(leader, again, true);
        apply(follower, again, false);
        assertEquals(leader.head().orElseThrow().hash(), follower.head().orElseThrow().hash());
        assertEquals(leader.rootAt(leader.size()), follower.rootAt(follower.size()));
    }

    @Test
    void aLeaderChangeWithBlocksInFlightKeepsOneHistory() {
        // hospital-a leads and has blocks 0 and 1 in flight; only block 0 was committed before it lost the lead
        ReplicaLedger.Proposal a0 = cut(leader, w.registration("a0", Role.PATIENT));
        ReplicaLedger.Proposal a1 = cut(leader, w.registration("a1", Role.PATIENT));
        for (ReplicaLedger r : List.of(leader, other, follower)) {
            apply(r, a0, r == leader);
        }
        // hospital-b leads now and cuts block 1 on the applied chain
        other.discardPipeline();
        ReplicaLedger.Proposal b1 = cut(other, w.registration("b1", Role.PATIENT));
        assertEquals(1, b1.block().header().number());
        for (ReplicaLedger r : List.of(leader, other, follower)) {
            apply(r, b1, r == other);
        }
        assertEquals(0, leader.pipelined(), "another block took the place the old leader's pipeline was built for");
        // the deposed leader's block 1, arriving late, conflicts with the stored block 1 everywhere
        for (ReplicaLedger r : List.of(leader, other, follower)) {
            ConsortiumException late = assertThrows(ConsortiumException.class, () -> apply(r, a1, false));
            assertEquals(ConsortiumReason.OUT_OF_ORDER, late.reason());
            assertEquals(b1.block().header().hash(), r.head().orElseThrow().hash());
        }
        // its transaction can be submitted again and is cut on top of block 1 (it was never applied)
        ReplicaLedger.Proposal b2 = cut(other, a1.block().transactions().get(0));
        assertEquals(b1.block().header().hash(), b2.block().header().previousHash());
        for (ReplicaLedger r : List.of(leader, other, follower)) {
            apply(r, b2, r == other);
        }
        for (ReplicaLedger r : List.of(leader, follower)) {
            assertEquals(other.size(), r.size());
            assertEquals(other.rootAt(other.size()), r.rootAt(r.size()));
        }
    }

    @Test
    void aTransactionInAnUnappliedBlockIsNotCutAgain() {
        Transaction t = w.registration("p", Role.PATIENT);
        Prepared admitted = leader.admit(t);
        cut(leader, w.registration("q", Role.PATIENT));
        leader.cut(List.of(admitted)).orElseThrow();
        // admitted again (not stored yet), but it is in a block in flight
        ReplicaLedger.Proposal retry = cut(leader, w.registration("r", Role.PATIENT));
        var again = leader.cut(List.of(leader.admit(t)));
        assertTrue(again.isEmpty());
        assertEquals(1, retry.block().transactions().size());
    }
}
