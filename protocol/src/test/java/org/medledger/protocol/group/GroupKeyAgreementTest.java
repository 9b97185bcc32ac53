package org.medledger.protocol.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.medledger.protocol.common.Kdf;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.pairing.FixedRandom;

class GroupKeyAgreementTest {

    private final Chebyshev t = new Chebyshev(ChebyshevParameters.modp2048());
    private final SecureRandom random = FixedRandom.seeded(99);

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 10, 50})
    void membersAgreeOnTheGroupSessionKey(int n) throws ProtocolException {
        Ring ring = Ring.authenticated(t, random, n);
        List<GroupSessionKey> keys = ring.groupKey();
        for (GroupSessionKey k : keys) {
            assertTrue(k.sameKeyAs(keys.get(0)));
        }
        List<GroupKeyConfirmation> confirmations = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            confirmations.add(ring.members.get(ring.roster.members().get(i)).confirmation(keys.get(i)));
        }
        for (int i = 0; i < n; i++) {
            ring.members.get(ring.roster.members().get(i)).requireConfirmations(keys.get(i), confirmations);
        }
    }

    @Test
    void everyPairwiseRunLeavesMatchingEdgeKeys() throws ProtocolException {
        Ring ring = Ring.authenticated(t, random, 3);
        assertTrue(ring.members.get("U1").hasEdgeKey("U1", "U2"));
        assertTrue(ring.members.get("U2").hasEdgeKey("U1", "U2"));
        assertTrue(ring.members.get("U1").hasEdgeKey("U3", "U1"));
        assertFalse(ring.members.get("U1").hasEdgeKey("U2", "U3"));
    }

    @Test
    void leaverCannotDeriveTheNewGroupKey() throws ProtocolException {
        Ring ring = Ring.authenticated(t, random, 5);
        GroupSessionKey before = ring.groupKey().get(0);
        GroupMember leaver = ring.leave("U3");
        List<byte[]> remembered = leaver.lastChain();            // every B_j of the old epoch
        List<GroupKeyShare> shares = ring.shares();                // the new broadcasts, public
        List<GroupSessionKey> after = ring.finish(shares);
        assertTrue(after.get(0).sameKeyAs(after.get(3)));
        assertFalse(after.get(0).sameKeyAs(before));
        // The leaver's best guess: treat any remembered B as a new B_j and chain through the new X's.
        for (byte[] guess : remembered) {
            for (int start = 0; start < ring.roster.size(); start++) {
                assertFalse(chainGuess(ring.roster, shares, start, guess).sameKeyAs(after.get(0)));
            }
        }
        // The new B_j of edges the leaver never touched differ from the old ones (the epoch is bound in).
        List<byte[]> newChain = ring.members.get("U1").lastChain();
        byte[] oldU1U2 = remembered.get(0);
        assertFalse(Arrays.equals(oldU1U2, newChain.get(0)));
        // and the leaver can no longer take part
        assertThrows(ProtocolException.class, () -> leaver.startGroupKey(ring.roster));
    }

    @Test
    void newcomerCannotDeriveTheOldGroupKey() throws ProtocolException {
        Ring ring = Ring.authenticated(t, random, 4);
        List<GroupKeyShare> oldShares = ring.shares();
        GroupSessionKey old = ring.finish(oldShares).get(0);
        GroupMember newcomer = ring.join("U5");
        List<GroupSessionKey> fresh = ring.groupKey();
        assertTrue(fresh.get(4).sameKeyAs(fresh.get(0)), "the newcomer holds the new key");
        GroupRoster oldRoster = new GroupRoster(ring.roster.groupId(), ring.roster.epoch() - 1, ring.roster.members().subList(0, 4));
        for (byte[] known : newcomer.lastChain()) {
            for (int start = 0; start < 4; start++) {
                assertFalse(chainGuess(oldRoster, oldShares, start, known).sameKeyAs(old));
            }
        }
    }

    @Test
    void rosterNamesThePairwiseRunsOfAJoinAndALeave() {
        GroupRoster r = new GroupRoster("g", 1, List.of("U1", "U2", "U3"));
        GroupRoster joined = r.join("U4");
        assertEquals(List.of(new GroupRoster.Edge("U3", "U4"), new GroupRoster.Edge("U4", "U1")), joined.edgesToAuthenticate(r));
        assertEquals(List.of(new GroupRoster.Edge("U3", "U1")), joined.edgesToForget(r));
        GroupRoster left = joined.leave("U2");
        assertEquals(List.of(new GroupRoster.Edge("U1", "U3")), left.edgesToAuthenticate(joined));
        assertEquals(List.of(new GroupRoster.Edge("U1", "U2"), new GroupRoster.Edge("U2", "U3")), left.edgesToForget(joined));
        assertEquals(3, left.epoch());
    }

    @Test
    void membersRefuseToRerunTheGroupKeyWithoutAFreshEpoch() throws ProtocolException {
        Ring ring = Ring.authenticated(t, random, 3);
        ring.groupKey();
        ProtocolException e = assertThrows(ProtocolException.class, () -> ring.members.get("U1").startGroupKey(ring.roster));
        assertEquals(Reason.BAD_PARAMETER, e.reason());
    }

    @Test
    void tamperedXStopsTheRun() throws ProtocolException {
        Ring ring = Ring.authenticated(t, random, 4);
        List<GroupKeyShare> shares = new ArrayList<>(ring.shares());
        GroupKeyShare s = shares.get(2);
        byte[] x = s.x();
        x[0] ^= 1;
        shares.set(2, new GroupKeyShare(s.groupId(), s.epoch(), s.member(), x));
        ProtocolException e = assertThrows(ProtocolException.class, () -> ring.members.get("U1").finishGroupKey(shares));
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, e.reason());
    }

    @Test
    void compensatingTamperingOfTwoXIsCaughtByKeyConfirmation() throws ProtocolException {
        Ring ring = Ring.authenticated(t, random, 4);
        List<GroupKeyShare> shares = new ArrayList<>(ring.shares());
        for (int j : new int[] {1, 3}) {
            GroupKeyShare s = shares.get(j);
            byte[] x = s.x();
            x[5] ^= 0x40;
            shares.set(j, new GroupKeyShare(s.groupId(), s.epoch(), s.member(), x));
        }
        // U1 and U3 (indices 0, 2) each see their own X untouched; the XOR check passes ...
        GroupSessionKey k1 = ring.members.get("U1").finishGroupKey(shares);
        GroupSessionKey k3 = ring.members.get("U3").finishGroupKey(shares);
        assertFalse(k1.sameKeyAs(k3));
        // ... but the confirmation tags disagree
        GroupKeyConfirmation c3 = ring.members.get("U3").confirmation(k3);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> ring.members.get("U1").requireConfirmations(k1, List.of(c3)));
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, e.reason());
        // and a member does not settle for missing confirmations
        ProtocolException missing = assertThrows(ProtocolException.class,
                () -> ring.members.get("U1").requireConfirmations(k1, List.of()));
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, missing.reason());
    }

    @Test
    void groupKeyNeedsAuthenticatedNeighbours() throws ProtocolException {
        Ring ring = Ring.authenticated(t, random, 3);
        GroupRoster reordered = new GroupRoster(ring.roster.groupId(), 2, List.of("U1", "U3", "U2"));
        ProtocolException e = assertThrows(ProtocolException.class, () -> ring.members.get("U1").startGroupKey(reordered));
        assertEquals(Reason.NOT_AUTHORIZED, e.reason());
        assertNotNull(ring.members.get("U1").startGroupKey(ring.roster));
    }

    /** What an outsider holding one candidate B value at position {@code start} would compute. */
    private static GroupSessionKey chainGuess(GroupRoster roster, List<GroupKeyShare> shares, int start, byte[] guess) {
        int n = roster.size();
        byte[][] b = new byte[n][];
        b[start] = guess;
        for (int step = 1; step < n; step++) {
            int j = (start + step) % n;
            b[j] = GroupMember.xor(shares.get(j).x(), b[(j - 1 + n) % n]);
        }
        LabelledEncoder in = LabelledEncoder.of("GROUP-AGG/GSK").nested(roster.encoder());
        for (byte[] bj : b) {
            in.bytes(bj);
        }
        SecretBytes k = Kdf.deriveKey(in);
        return new GroupSessionKey(roster, k);
    }

    @Test
    void aDeviceKeepsItsKeysAcrossRestarts() throws ProtocolException {
        Chebyshev t = new Chebyshev(ChebyshevParameters.modp2048());
        java.security.SecureRandom random = FixedRandom.seeded(91);
        ChebyshevKeyPair k = ChebyshevKeyPair.generate(t, random);
        ChebyshevKeyPair again = ChebyshevKeyPair.restore(t, k.exportSecret());
        assertEquals(k.publicKey(), again.publicKey());
        Ring ring = Ring.authenticated(t, random, 3);
        GroupSessionKey gsk = ring.groupKey().get(0);
        GroupSessionKey restored = GroupSessionKey.restore(new GroupRoster(gsk.groupId(), gsk.epoch(), gsk.members()), gsk.export());
        assertTrue(restored.sameKeyAs(gsk));
        assertThrows(ProtocolException.class, () -> GroupSessionKey.restore(new GroupRoster(gsk.groupId(), gsk.epoch(), gsk.members()),
                org.medledger.protocol.common.SecretBytes.copyOf(new byte[10])));
    }
}
