package org.medledger.consortium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.consortium.testing.Cluster;
import org.medledger.consortium.testing.World;
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
import org.medledger.ledger.node.Receipt;
import org.medledger.ledger.tx.Transaction;
import org.medledger.ledger.verify.ChainSource;
import org.medledger.ledger.verify.LedgerVerifier;
import org.medledger.ledger.verify.VerificationReport;

/** Misbehaving hospitals and outsiders against a running consortium of three. */
class ByzantineTest {
    @TempDir
    Path dir;

    private static void populate(World w, HospitalNode via, String prefix, int n) {
        List<CompletableFuture<Receipt>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fs.add(via.submit(w.registration(prefix + i, Role.PATIENT)));
        }
        fs.forEach(CompletableFuture::join);
    }

    @Test
    @Timeout(300)
    void misbehaviourIsCaughtAndRefused() throws Exception {
        World w = new World(3);
        try (Cluster c = Cluster.start(w, dir)) {
            HospitalNode leader = c.awaitLeader(Duration.ofSeconds(60));
            populate(w, leader, "p", 12);
            long size = leader.replica().size();
            c.awaitSize(size, Duration.ofSeconds(60));
            List<HospitalNode> others = c.running().stream().filter(n -> n != leader).toList();
            HospitalNode b = others.get(0);
            HospitalNode tampering = others.get(1);
            Cluster.await(Duration.ofSeconds(60), () -> b.witnessedHead().map(h -> h.treeSize() == size).orElse(false), "a witnessed head");

            // 1. A node that rewrites a row of its own database: reported by the verifier, refused as a witness.
            assertEquals(1, c.store(tampering.id()).sql("UPDATE ledger_transaction SET nonce = nonce + 1 WHERE log_index = 5"));
            VerificationReport direct = new LedgerVerifier(w.anchors, w.contracts, P256SignatureScheme.INSTANCE).verify(ChainSource.of(tampering.replica().store()));
            assertFalse(direct.ok());
            assertEquals(5, direct.failure().orElseThrow().index(), direct.failure().toString());
            VerificationReport audit = b.audit(tampering.id());
            assertFalse(audit.ok(), "the audit over the peer's served chain fails");
            assertTrue(b.witnesses().refused().contains(tampering.id()));
            assertEquals(ConsortiumReason.REFUSED_WITNESS, b.witnesses().evidence().get(tampering.id()).reason());
            VerificationReport honest = b.audit(leader.id());
            assertTrue(honest.ok(), String.valueOf(honest.failure()));
            assertFalse(b.witnesses().refused().contains(leader.id()));
            // new heads are still witnessed by the two honest hospitals, without the refused one
            populate(w, leader, "q", 3);
            long size2 = leader.replica().size();
            Cluster.await(Duration.ofSeconds(60), () -> b.witnessedHead().map(h -> h.treeSize() == size2).orElse(false), "a new witnessed head");
            WitnessedTreeHead wh = b.witnessedHead().orElseThrow();
            assertEquals(2, b.witnesses().policy().check(wh));

            // 2. A leader that signs two different heads for the same size is caught.
            Signer leaderKey = w.hospitalKeys.get(leader.id());
            SignedTreeHead real = leader.replica().latestTreeHead().orElseThrow();
            SignedTreeHead other = SignedTreeHead.sign(w.consortium.logId(), real.treeSize(), Digest.sha256(World.bytes("a history for someone else")),
                    real.timestamp(), leader.id(), leaderKey);
            ConsortiumException eq = assertThrows(ConsortiumException.class, () -> b.observe(other));
            assertEquals(ConsortiumReason.EQUIVOCATION, eq.reason());
            assertEquals(other, b.witnesses().evidence().get(leader.id()).heads().get(0));
            // the honest hospitals' co-signatures cannot make it count
            WitnessedTreeHead forgedWitnessed = new WitnessedTreeHead(other, wh.cosignatures());
            assertEquals(ConsortiumReason.NO_QUORUM, assertThrows(ConsortiumException.class,
                    () -> new WitnessPolicy(w.consortium).check(forgedWitnessed)).reason());
        }
    }

    @Test
    @Timeout(300)
    void badInputAtTheNodeBoundaryIsRefusedAndNothingIsApplied() throws Exception {
        World w = new World(3);
        try (Cluster c = Cluster.start(w, dir)) {
            HospitalNode leader = c.awaitLeader(Duration.ofSeconds(60));
            leader.submitAndWait(w.registration("p0", Role.PATIENT));
            c.awaitSize(1, Duration.ofSeconds(60));
            BlockHeader head = leader.replica().head().orElseThrow();
            Transaction t = w.registration("p1", Role.PATIENT);
            Digest leaf = LogLeaf.hash(1, t);
            Signer mallory = P256SignatureScheme.fromSeed(World.bytes("mallory"));
            long now = w.clock.millis();
            // a block an outsider made in the leader's name, well formed and extending the head
            BlockHeader h = new BlockHeader(1, head.hash(), MerkleAccumulator.rootOf(List.of(leaf)), 1, 1, leader.replica().rootAt(1),
                    now, t.body().timestamp(), t.body().timestamp(), leader.id(), 0, 0);
            Block forged = new Block(h, Bytes.of(mallory.sign(Block.signingBytes(h.hash()))), List.of(t));
            byte[] entry = Wire.message(Wire.Kind.BLOCK, new BlockWithHead(forged, SignedTreeHead.sign(w.consortium.logId(), 2, h.logRoot(), now, leader.id(), mallory)).encode());
            try (RaftClient writer = client(w, c); RaftClient outsider = client(w, c)) {
                RaftClientReply r = null;
                try {
                    r = writer.async().send(LedgerStateMachine.message(entry)).get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException refusedByRatis) {
                    // refused before it reached the log
                }
                assertTrue(r == null || !r.isSuccess(), "a block not cut by the leader is refused at the log");
                // peer requests: an unknown node's co-signature, garbage, a co-signature with a bad signature
                for (HospitalNode n : c.running()) {
                    byte[] unknown = Wire.message(Wire.Kind.COSIGN, Cosignature.sign("mallory", 1, leader.replica().rootAt(1), now, mallory).encode());
                    assertError(outsider, n, unknown, ConsortiumReason.UNKNOWN_NODE);
                    byte[] wrongKey = Wire.message(Wire.Kind.COSIGN, Cosignature.sign("hospital-a", 1, leader.replica().rootAt(1), now, mallory).encode());
                    assertError(outsider, n, wrongKey, ConsortiumReason.BAD_SIGNATURE);
                    assertError(outsider, n, new byte[] {1, 2, 3}, ConsortiumReason.MALFORMED);
                    assertError(outsider, n, Wire.message(Wire.Kind.COSIGN, new byte[] {9}), ConsortiumReason.MALFORMED);
                    assertError(outsider, n, Wire.message(Wire.Kind.SUBMIT, new byte[] {9}), ConsortiumReason.MALFORMED);
                    assertTrue(n.witnesses().refused().isEmpty(), "bad input refuses nobody as a witness");
                }
            }
            Thread.sleep(500);
            for (HospitalNode n : c.running()) {
                assertEquals(1, n.replica().size(), n.id() + ": nothing applied");
                assertFalse(n.replica().store().containsTransaction(t.id()));
            }
            // the consortium still works
            Receipt r = leader.submitAndWait(t);
            assertEquals(1, r.logIndex());
        }
    }

    private static RaftClient client(World w, Cluster c) {
        RaftProperties p = new RaftProperties();
        org.apache.ratis.client.RaftClientConfigKeys.Rpc.setRequestTimeout(p, org.apache.ratis.util.TimeDuration.valueOf(30, TimeUnit.SECONDS));
        return RaftClient.newBuilder().setProperties(p).setRaftGroup(HospitalNode.group(w.consortium, c.addressesForTest()))
                .setRetryPolicy(RetryPolicies.noRetry()).build();
    }

    private static void assertError(RaftClient client, HospitalNode to, byte[] request, ConsortiumReason reason) throws Exception {
        RaftClientReply r = client.async().sendStaleRead(LedgerStateMachine.message(request), 0, RaftPeerId.valueOf(to.id())).get(30, TimeUnit.SECONDS);
        assertTrue(r.isSuccess());
        Wire.Envelope e = Wire.open(LedgerStateMachine.bytes(r.getMessage()));
        assertEquals(Wire.Kind.ERROR, e.kind());
        RuntimeException ex = Wire.error(e.body());
        assertTrue(ex instanceof ConsortiumException, String.valueOf(ex));
        assertEquals(reason, ((ConsortiumException) ex).reason(), ex.getMessage());
    }
}
