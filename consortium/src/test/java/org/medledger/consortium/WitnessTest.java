package org.medledger.consortium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.medledger.consortium.testing.World;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.crypto.Signer;
import org.medledger.ledger.log.LogLeaf;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.merkle.MerkleTree;
import org.medledger.ledger.merkle.ProofException;

/** Quorum rules of witnessed tree heads, and how split views and equivocations are caught. */
class WitnessTest {
    private final World w = new World(3);
    private final MerkleTree log = new MerkleTree();
    private final long t = w.clock.millis();

    WitnessTest() {
        for (int i = 0; i < 8; i++) {
            log.append(LogLeaf.hash(i, w.registration("p" + i, Role.PATIENT)));
        }
    }

    private Cosignature cos(String h, long size, Digest root) {
        return Cosignature.sign(h, size, root, t, w.hospitalKeys.get(h));
    }

    private SignedTreeHead head(String h, long size, Digest root) {
        return SignedTreeHead.sign(w.consortium.logId(), size, root, t, h, w.hospitalKeys.get(h));
    }

    private WitnessBook book(String self) {
        return new WitnessBook(w.consortium, self, s -> s <= log.size() ? Optional.of(log.rootAt(s)) : Optional.empty());
    }

    @Test
    void aHeadCountsOnlyWithAQuorumOfDistinctValidHospitalSignatures() {
        Digest r = log.rootAt(8);
        WitnessPolicy policy = new WitnessPolicy(w.consortium);
        SignedTreeHead h = head("hospital-a", 8, r);
        assertEquals(2, policy.check(new WitnessedTreeHead(h, List.of(cos("hospital-a", 8, r), cos("hospital-b", 8, r)))));
        assertEquals(3, policy.check(new WitnessedTreeHead(h, List.of(cos("hospital-a", 8, r), cos("hospital-b", 8, r), cos("hospital-c", 8, r)))));
        assertNoQuorum(policy, new WitnessedTreeHead(h, List.of(cos("hospital-a", 8, r))));
        // the same witness twice counts once
        assertNoQuorum(policy, new WitnessedTreeHead(h, List.of(cos("hospital-a", 8, r), cos("hospital-a", 8, r))));
        // a co-signature of another size or root says nothing about this head
        assertNoQuorum(policy, new WitnessedTreeHead(h, List.of(cos("hospital-a", 8, r), cos("hospital-b", 7, log.rootAt(7)))));
        assertNoQuorum(policy, new WitnessedTreeHead(h, List.of(cos("hospital-a", 8, r), cos("hospital-b", 8, log.rootAt(7)))));
        // a bad signature does not count
        Cosignature b = cos("hospital-b", 8, r);
        Cosignature badSig = new Cosignature(b.witness(), b.treeSize(), b.root(), b.timestamp(), Bytes.of(new byte[64]));
        assertNoQuorum(policy, new WitnessedTreeHead(h, List.of(cos("hospital-a", 8, r), badSig)));
        // an outsider does not count, even with a valid signature of its own key
        Signer mallory = P256SignatureScheme.fromSeed(World.bytes("mallory"));
        Cosignature outsider = Cosignature.sign("mallory", 8, r, t, mallory);
        assertNoQuorum(policy, new WitnessedTreeHead(h, List.of(cos("hospital-a", 8, r), outsider)));
        // a hospital's signature made in another hospital's name does not count
        Cosignature impersonated = Cosignature.sign("hospital-c", 8, r, t, w.hospitalKeys.get("hospital-b"));
        assertNoQuorum(policy, new WitnessedTreeHead(h, List.of(cos("hospital-a", 8, r), impersonated)));
        // a refused witness does not count
        WitnessPolicy refusingB = new WitnessPolicy(w.consortium, Set.of("hospital-b"));
        assertNoQuorum(refusingB, new WitnessedTreeHead(h, List.of(cos("hospital-a", 8, r), cos("hospital-b", 8, r))));
    }

    @Test
    void theHeadItselfMustBeSignedByAHospital() {
        Digest r = log.rootAt(8);
        SignedTreeHead forged = new SignedTreeHead(w.consortium.logId(), 8, r, t, "hospital-a", Digest.sha256(new byte[0]), Bytes.of(new byte[64]));
        ConsortiumException e = assertThrows(ConsortiumException.class, () -> new WitnessPolicy(w.consortium)
                .check(new WitnessedTreeHead(forged, List.of(cos("hospital-a", 8, r), cos("hospital-b", 8, r)))));
        assertEquals(ConsortiumReason.BAD_SIGNATURE, e.reason());
        Signer mallory = P256SignatureScheme.fromSeed(World.bytes("mallory"));
        SignedTreeHead outsider = SignedTreeHead.sign(w.consortium.logId(), 8, r, t, "mallory", mallory);
        assertEquals(ConsortiumReason.UNKNOWN_NODE, assertThrows(ConsortiumException.class, () -> new WitnessPolicy(w.consortium)
                .check(new WitnessedTreeHead(outsider, List.of(cos("hospital-a", 8, r), cos("hospital-b", 8, r))))).reason());
    }

    @Test
    void proofChecksRequireTheQuorum() throws ProofException {
        Digest r = log.rootAt(8);
        WitnessPolicy policy = new WitnessPolicy(w.consortium);
        SignedTreeHead h = head("hospital-a", 8, r);
        WitnessedTreeHead quorum = new WitnessedTreeHead(h, List.of(cos("hospital-a", 8, r), cos("hospital-c", 8, r)));
        policy.verifyInclusion(log.leafHash(3), log.inclusionProof(3, 8), quorum);
        WitnessedTreeHead alone = new WitnessedTreeHead(h, List.of(cos("hospital-a", 8, r)));
        assertThrows(ConsortiumException.class, () -> policy.verifyInclusion(log.leafHash(3), log.inclusionProof(3, 8), alone));
        assertThrows(ProofException.class, () -> policy.verifyInclusion(log.leafHash(4), log.inclusionProof(3, 8), quorum));
    }

    @Test
    void aWitnessedHeadSurvivesItsEncoding() {
        Digest r = log.rootAt(8);
        WitnessedTreeHead wh = new WitnessedTreeHead(head("hospital-a", 8, r), List.of(cos("hospital-a", 8, r), cos("hospital-b", 8, r)));
        WitnessedTreeHead back = WitnessedTreeHead.decode(wh.encode());
        assertEquals(wh, back);
        assertEquals(2, new WitnessPolicy(w.consortium).check(back));
    }

    @Test
    void aNodeCoSigningAnotherHistoryIsCaughtAsASplitView() {
        WitnessBook book = book("hospital-a");
        book.accept(cos("hospital-b", 8, log.rootAt(8)));
        Digest other = Digest.sha256(World.bytes("another history"));
        ConsortiumException e = assertThrows(ConsortiumException.class, () -> book.accept(cos("hospital-c", 8, other)));
        assertEquals(ConsortiumReason.SPLIT_VIEW, e.reason());
        assertTrue(book.refused().contains("hospital-c"));
        Evidence ev = book.evidence().get("hospital-c");
        assertEquals(other, ev.cosignatures().get(0).root());
        assertTrue(ev.cosignatures().get(0).verify(w.consortium.hospital("hospital-c", t).publicKey(), P256SignatureScheme.INSTANCE));
        // its later, honest co-signatures no longer count
        book.accept(cos("hospital-a", 8, log.rootAt(8)));
        book.accept(cos("hospital-c", 8, log.rootAt(8)));
        assertEquals(Optional.of(8L), book.latestWitnessedSize());
        assertNoQuorum(book.policy(), new WitnessedTreeHead(head("hospital-a", 8, log.rootAt(8)),
                List.of(cos("hospital-a", 8, log.rootAt(8)), cos("hospital-c", 8, log.rootAt(8)))));
    }

    @Test
    void aSplitViewAheadOfThisNodeIsCaughtOnceItGetsThere() {
        MerkleTree mine = new MerkleTree();
        WitnessBook book = new WitnessBook(w.consortium, "hospital-a", s -> s <= mine.size() ? Optional.of(mine.rootAt(s)) : Optional.empty());
        book.accept(cos("hospital-c", 8, Digest.sha256(World.bytes("another history"))));
        assertTrue(book.refused().isEmpty());
        for (int i = 0; i < 8; i++) {
            mine.append(log.leafHash(i));
        }
        book.caughtUpTo(8);
        assertEquals(ConsortiumReason.SPLIT_VIEW, book.evidence().get("hospital-c").reason());
    }

    @Test
    void aLeaderSigningTwoHeadsForOneSizeIsCaught() {
        WitnessBook book = book("hospital-b");
        SignedTreeHead honest = head("hospital-a", 8, log.rootAt(8));
        book.observe(honest);
        SignedTreeHead second = head("hospital-a", 8, Digest.sha256(World.bytes("the other head")));
        ConsortiumException e = assertThrows(ConsortiumException.class, () -> book.observe(second));
        assertEquals(ConsortiumReason.EQUIVOCATION, e.reason());
        assertEquals(second, book.evidence().get("hospital-a").heads().get(0));
        assertTrue(book.refused().contains("hospital-a"));
    }

    @Test
    void aWitnessCoSigningTwoRootsForOneSizeIsCaught() {
        MerkleTree none = new MerkleTree();
        WitnessBook book = new WitnessBook(w.consortium, "hospital-a", s -> s <= none.size() ? Optional.of(none.rootAt(s)) : Optional.empty());
        book.accept(cos("hospital-b", 8, log.rootAt(8)));
        ConsortiumException e = assertThrows(ConsortiumException.class, () -> book.accept(cos("hospital-b", 8, log.rootAt(7))));
        assertEquals(ConsortiumReason.EQUIVOCATION, e.reason());
        assertEquals(2, book.evidence().get("hospital-b").cosignatures().size());
    }

    @Test
    void coSignaturesFromUnknownNodesOrWithBadSignaturesAreRefusedAndNotRecorded() {
        WitnessBook book = book("hospital-a");
        Signer mallory = P256SignatureScheme.fromSeed(World.bytes("mallory"));
        assertEquals(ConsortiumReason.UNKNOWN_NODE, assertThrows(ConsortiumException.class,
                () -> book.accept(Cosignature.sign("mallory", 8, log.rootAt(8), t, mallory))).reason());
        assertEquals(ConsortiumReason.BAD_SIGNATURE, assertThrows(ConsortiumException.class,
                () -> book.accept(Cosignature.sign("hospital-b", 8, log.rootAt(8), t, mallory))).reason());
        assertTrue(book.cosignatures(8).isEmpty());
        assertTrue(book.refused().isEmpty());
    }

    @Test
    void quorumMustBeAtLeastAMajority() {
        assertThrows(IllegalArgumentException.class, () -> new Consortium(w.anchors, w.hospitals, 1, w.contracts, P256SignatureScheme.INSTANCE));
        assertThrows(IllegalArgumentException.class, () -> new Consortium(w.anchors, w.hospitals, 4, w.contracts, P256SignatureScheme.INSTANCE));
        assertThrows(IllegalArgumentException.class, () -> new Consortium(w.anchors, List.of("hospital-a", "nobody"), 2, w.contracts, P256SignatureScheme.INSTANCE));
        Consortium c = new Consortium(w.anchors, w.hospitals, 3, w.contracts, P256SignatureScheme.INSTANCE);
        Consortium back = Consortium.decode(c.encode(), w.contracts, P256SignatureScheme.INSTANCE);
        assertEquals(3, back.quorum());
        assertEquals(w.hospitals, back.hospitals());
        Set<String> seen = new HashSet<>(back.certificates().keySet());
        assertEquals(Set.copyOf(w.hospitals), seen);
    }

    private static void assertNoQuorum(WitnessPolicy p, WitnessedTreeHead h) {
        assertEquals(ConsortiumReason.NO_QUORUM, assertThrows(ConsortiumException.class, () -> p.check(h)).reason());
    }
}
