package org.medledger.protocol.group;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.medledger.protocol.common.Aead;
import org.medledger.protocol.common.AssociatedData;
import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.Kdf;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;

/**
 * A group member U_i of GROUP-AGG (seed 004 §III-D): runs the four-step pairwise
 * authentication with its ring neighbours and the XOR-chain group key agreement, and
 * reruns it on join and leave.
 *
 * <p>Stateful and not thread-safe: one instance is one member's protocol session. A failed
 * check throws a {@link ProtocolException} and changes nothing: pending state of a run is
 * replaced or used up only by a message that authenticated, so a forged message cannot abort
 * an honest run.
 *
 * <p>Roles in a pairwise run: the <em>initiator</em> is U_i, the <em>responder</em> U_{i+1};
 * the resulting key SK_{i,i+1} belongs to the directed ring edge U_i → U_{i+1}.
 */
public final class GroupMember {

    private final String id;
    private final ChebyshevKeyPair key;
    private final Chebyshev t;
    private final SecureRandom random;
    private GroupDirectory directory;

    /** r_i of runs this member initiated, by responder. */
    private final Map<String, SecretBytes> pendingInitiations = new HashMap<>();
    /** SK_{i+1,i} of runs this member answered, by initiator, awaiting MAC'. */
    private final Map<String, SecretBytes> pendingResponses = new HashMap<>();
    /** MAC_{i,i+1} of the request each pending response answers: its replay must not replace the run. */
    private final Map<String, byte[]> answeredRequests = new HashMap<>();
    /** Confirmed pairwise keys SK by directed edge "initiator → responder". */
    private final Map<Edge, SecretBytes> edgeKeys = new HashMap<>();
    /** T_{s_i}(T_{s_j}(x)) by peer, computed once. */
    private final Map<String, SecretBytes> staticSecrets = new HashMap<>();
    /** Highest epoch this member agreed a key for, by group id. */
    private final Map<String, Long> epochs = new HashMap<>();
    private GroupRun run;

    record Edge(String initiator, String responder) {
    }

    /** The group run in progress: roster, B_{i−1}, B_i. */
    private record GroupRun(GroupRoster roster, SecretBytes bPrevious, SecretBytes bOwn) {
        void destroy() {
            bPrevious.destroy();
            bOwn.destroy();
        }
    }

    public GroupMember(String id, ChebyshevKeyPair key, GroupDirectory directory, Chebyshev t, SecureRandom random) {
        this.id = GroupRoster.requireId(id);
        this.key = Objects.requireNonNull(key, "key is required");
        this.directory = Objects.requireNonNull(directory, "directory is required");
        this.t = Objects.requireNonNull(t, "Chebyshev map is required");
        this.random = Objects.requireNonNull(random, "random is required");
    }

    public String id() {
        return id;
    }

    /** T_{s_i}(x). */
    public BigInteger publicKey() {
        return key.publicValue();
    }

    /** Learns a newcomer's certified public key (member join). */
    public void learn(String member, BigInteger publicKey) throws ProtocolException {
        directory = directory.with(t, member, publicKey);
    }

    /** Learns a newcomer's certified public key published with its root (deviation G16). */
    public void learn(String member, ChebyshevValue publicKey) throws ProtocolException {
        directory = directory.with(t, member, publicKey);
    }

    // ------------------------------------------------------------------ pairwise authentication

    /** Step 1 (U_i): (C_i, T_{r_i}(x), MAC_{i,i+1}) to the successor. */
    public AuthenticationMessage initiate(String responder) throws ProtocolException {
        ChebyshevValue pResponder = directory.publicKey(responder);
        BigInteger r = t.randomExponent(random);
        // T_{r_i}(x), with its root (deviation G16)
        ChebyshevValue tR = t.ofBaseValue(r);
        // K_{i,i+1} = T_{r_i}(T_{s_{i+1}}(x))  (seed 004, step 1)
        BigInteger k = t.closedForm(r, pResponder);
        // C_i = E_K(ID_i ‖ ID_{i+1} ‖ T_{r_i}(x))  (seed 004, step 1)
        byte[] c = seal(k, "C_i", id, responder, tR.y());
        // MAC_{i,i+1} = H(ID_i ‖ ID_{i+1} ‖ C_i ‖ H(T_{s_i}(T_{s_{i+1}}(x))) ‖ T_{r_i}(x)), keyed by the static secret  (seed 004, step 1)
        byte[] mac = CheckValues.mac(staticKey(responder, id, responder), LabelledEncoder.of("GROUP-AGG/MAC_i,i+1")
                .utf8(id).utf8(responder).bytes(c).bytes(t.parameters().encode(tR.y())));
        replace(pendingInitiations, responder, SecretBytes.copyOf(t.parameters().encode(r)));
        return AuthenticationMessage.request(id, responder, c, tR, mac);
    }

    /** Step 2 (U_{i+1}): checks the request, answers (C_{i+1}, T_{r_{i+1}}(x), MAC_{i+1,i}). */
    public AuthenticationMessage respond(AuthenticationMessage req) throws ProtocolException {
        Objects.requireNonNull(req, "request is required").require(AuthenticationMessage.Step.REQUEST);
        if (!req.responder().equals(id)) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "request is addressed to another member");
        }
        String initiator = req.initiator();
        ChebyshevValue pInitiator = directory.publicKey(initiator);
        ChebyshevValue tRi = t.requireValid(req.tR().y(), req.tR().root());
        // MAC_{i,i+1} check  (seed 004, step 2), before s_{i+1} touches the received T_{r_i}(x)
        SecretBytes stat = staticKey(initiator, initiator, id);
        CheckValues.requireMac(stat, LabelledEncoder.of("GROUP-AGG/MAC_i,i+1").utf8(initiator).utf8(id).bytes(req.c())
                .bytes(t.parameters().encode(tRi.y())), req.mac());
        // K'_{i,i+1} = T_{s_{i+1}}(T_{r_i}(x))  (seed 004, step 2)
        BigInteger k = key.apply(t, tRi);
        // (ID_i ‖ ID_{i+1} ‖ T_{r_i}(x)) = D_K'(C_i), must repeat the clear values  (seed 004, step 2)
        open(k, "C_i", initiator, id, tRi.y(), req.c());
        if (pendingResponses.containsKey(initiator) && java.util.Arrays.equals(answeredRequests.get(initiator), req.mac())) {
            throw new ProtocolException(Reason.REPLAY, "request already answered, run pending");
        }
        BigInteger r = t.randomExponent(random);
        ChebyshevValue tR = t.ofBaseValue(r);
        // K_{i+1,i} = T_{r_{i+1}}(T_{s_i}(x))  (seed 004, step 2)
        BigInteger k2 = t.closedForm(r, pInitiator);
        // SK = T_{r_{i+1}}(T_{r_i}(x))  (seed 004, step 2)
        BigInteger sk = t.closedForm(r, tRi);
        // C_{i+1} = E_K(ID_i ‖ ID_{i+1} ‖ T_{r_{i+1}}(x))  (seed 004, step 2)
        byte[] c = seal(k2, "C_i+1", initiator, id, tR.y());
        // MAC_{i+1,i} = H(ID_i ‖ ID_{i+1} ‖ C_{i+1} ‖ T_{r_{i+1}}(x) ‖ H(T_{s_{i+1}}(T_{s_i}(x))) ‖ SK)  (seed 004 step 2, erratum 3)
        byte[] mac = CheckValues.mac(stat, LabelledEncoder.of("GROUP-AGG/MAC_i+1,i").utf8(initiator).utf8(id).bytes(c)
                .bytes(t.parameters().encode(tR.y())).bytes(t.parameters().encode(sk)));
        // SK_{i+1,i} = H(ID_i ‖ ID_{i+1} ‖ T_{r_{i+1}}(T_{r_i}(x)))  (seed 004, step 4); replaces a pending run only now
        replace(pendingResponses, initiator, sessionKey(initiator, id, sk));
        answeredRequests.put(initiator, req.mac());
        return AuthenticationMessage.response(initiator, id, c, tR, mac);
    }

    /** Step 3 (U_i): checks the response, keeps SK_{i,i+1}, answers MAC'_{i,i+1}. */
    public AuthenticationAck confirm(AuthenticationMessage resp) throws ProtocolException {
        Objects.requireNonNull(resp, "response is required").require(AuthenticationMessage.Step.RESPONSE);
        if (!resp.initiator().equals(id)) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "response is addressed to another member");
        }
        String responder = resp.responder();
        // r_i stays pending until a response authenticates
        SecretBytes rBytes = pendingInitiations.get(responder);
        if (rBytes == null) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "no authentication pending with " + responder);
        }
        BigInteger r = new BigInteger(1, rBytes.reveal());
        ChebyshevValue tRj = t.requireValid(resp.tR().y(), resp.tR().root());
        // SK' = T_{r_i}(T_{r_{i+1}}(x))  (seed 004, step 3)
        BigInteger sk = t.closedForm(r, tRj);
        // MAC_{i+1,i} check, before s_i touches the received T_{r_{i+1}}(x)
        SecretBytes stat = staticKey(responder, id, responder);
        CheckValues.requireMac(stat, LabelledEncoder.of("GROUP-AGG/MAC_i+1,i").utf8(id).utf8(responder).bytes(resp.c())
                .bytes(t.parameters().encode(tRj.y())).bytes(t.parameters().encode(sk)), resp.mac());
        // K'_{i+1,i} = T_{s_i}(T_{r_{i+1}}(x))  (seed 004, step 3)
        BigInteger k = key.apply(t, tRj);
        open(k, "C_i+1", id, responder, tRj.y(), resp.c());
        // SK_{i,i+1} = H(ID_i ‖ ID_{i+1} ‖ SK')  (seed 004, step 3)
        SecretBytes skEdge = sessionKey(id, responder, sk);
        // MAC'_{i,i+1} = H(ID_i ‖ ID_{i+1} ‖ H(T_{s_i}(T_{s_{i+1}}(x))) ‖ SK_{i,i+1})  (seed 004, step 3)
        byte[] ack = CheckValues.mac(stat, ackMessage(id, responder, skEdge));
        replace(edgeKeys, new Edge(id, responder), skEdge);
        drop(pendingInitiations, responder);
        return new AuthenticationAck(id, responder, ack);
    }

    /** Step 4 (U_{i+1}): checks MAC'_{i,i+1} and keeps SK_{i+1,i}. */
    public void accept(AuthenticationAck ack) throws ProtocolException {
        Objects.requireNonNull(ack, "acknowledgement is required");
        if (!ack.responder().equals(id)) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "acknowledgement is addressed to another member");
        }
        String initiator = ack.initiator();
        SecretBytes skEdge = pendingResponses.get(initiator);
        if (skEdge == null) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "no authentication pending with " + initiator);
        }
        // H(ID_i ‖ ID_{i+1} ‖ H(T_{s_{i+1}}(T_{s_i}(x))) ‖ SK_{i+1,i}) == MAC'_{i,i+1}  (seed 004, step 4); a forged ack leaves the run pending
        CheckValues.requireMac(staticKey(initiator, initiator, id), ackMessage(initiator, id, skEdge), ack.mac());
        pendingResponses.remove(initiator);
        answeredRequests.remove(initiator);
        replace(edgeKeys, new Edge(initiator, id), skEdge);
    }

    /** Member leave: U_{k−1} and U_{k+1} remove the keys they shared with the leaver (seed 004 §III-D4). */
    public void forget(String member) {
        edgeKeys.entrySet().removeIf(e -> {
            boolean hit = e.getKey().initiator().equals(member) || e.getKey().responder().equals(member);
            if (hit) {
                e.getValue().destroy();
            }
            return hit;
        });
        drop(pendingInitiations, member);
        drop(pendingResponses, member);
        answeredRequests.remove(member);
    }

    // ------------------------------------------------------------------ group key

    /**
     * Starts a group key run for {@code roster}: B_{i−1}, B_i and the broadcast
     * X_i = B_{i−1} ⊕ B_i (seed 004 §III-D2). The roster's epoch must exceed every epoch
     * this member already agreed a key for in that group.
     */
    public GroupKeyShare startGroupKey(GroupRoster roster) throws ProtocolException {
        Objects.requireNonNull(roster, "roster is required");
        if (roster.indexOf(id) < 0) {
            throw new ProtocolException(Reason.NOT_AUTHORIZED, "not a member of this roster");
        }
        Long last = epochs.get(roster.groupId());
        if (last != null && roster.epoch() <= last) {
            throw new ProtocolException(Reason.BAD_PARAMETER, "group epoch must grow with every key run");
        }
        String pred = roster.predecessor(id);
        String succ = roster.successor(id);
        // B_{i−1} = H(SK_{i−1,i} ‖ T_{s_i}(T_{s_{i−1}}(x)) ‖ GID ‖ epoch)  (seed 004 §III-D2, erratum 1, deviation G1)
        byte[] bPrev = blinding(roster, pred, id);
        // B_i = H(SK_{i,i+1} ‖ T_{s_i}(T_{s_{i+1}}(x)) ‖ GID ‖ epoch)  (seed 004 §III-D2)
        byte[] bOwn = blinding(roster, id, succ);
        // X_i = B_{i−1} ⊕ B_i  (seed 004 §III-D2)
        byte[] x = xor(bPrev, bOwn);
        if (run != null) {
            run.destroy();
        }
        run = new GroupRun(roster, SecretBytes.copyOf(bPrev), SecretBytes.copyOf(bOwn));
        java.util.Arrays.fill(bPrev, (byte) 0);
        java.util.Arrays.fill(bOwn, (byte) 0);
        return new GroupKeyShare(roster.groupId(), roster.epoch(), id, x);
    }

    /**
     * Finishes the run: requires one share per member in ring order, X_1 ⊕ … ⊕ X_n = 0,
     * derives every B_j by chaining from B_i, and GSK = H(B_1 ‖ … ‖ B_n).
     */
    public GroupSessionKey finishGroupKey(List<GroupKeyShare> shares) throws ProtocolException {
        GroupRun current = run;
        if (current == null) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "no group key run in progress");
        }
        run = null;
        try {
            return finish(current, shares);
        } finally {
            current.destroy();
        }
    }

    private GroupSessionKey finish(GroupRun current, List<GroupKeyShare> shares) throws ProtocolException {
        GroupRoster roster = current.roster();
        int n = roster.size();
        if (shares == null || shares.size() != n) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "need one X_j from each of the " + n + " members");
        }
        byte[][] x = new byte[n][];
        byte[] sum = new byte[CheckValues.LENGTH];
        for (int j = 0; j < n; j++) {
            GroupKeyShare s = shares.get(j);
            if (!s.groupId().equals(roster.groupId()) || s.epoch() != roster.epoch() || !s.member().equals(roster.members().get(j))) {
                throw new ProtocolException(Reason.MALFORMED_MESSAGE, "X_j out of order or for another run");
            }
            x[j] = s.x();
            sum = xor(sum, x[j]);
        }
        int i = roster.indexOf(id);
        byte[] bOwn = current.bOwn().reveal();
        // own broadcast must be the one we sent
        CheckValues.requireEqual(xor(current.bPrevious().reveal(), bOwn), x[i]);
        // X_1 ⊕ X_2 ⊕ … ⊕ X_n = 0  (seed 004 §III-D2)
        CheckValues.requireEqual(new byte[CheckValues.LENGTH], sum);
        // B_{j+1} = X_{j+1} ⊕ B_j, starting from B_i  (seed 004 §III-D2, Tables 4–5)
        byte[][] b = new byte[n][];
        b[i] = bOwn;
        for (int step = 1; step < n; step++) {
            int j = (i + step) % n;
            int prev = (j - 1 + n) % n;
            b[j] = xor(x[j], b[prev]);
        }
        // GSK = H(B_1 ‖ B_2 ‖ … ‖ B_n)  (seed 004 §III-D2)
        LabelledEncoder gskInput = LabelledEncoder.of("GROUP-AGG/GSK").nested(roster.encoder());
        for (byte[] bj : b) {
            gskInput.bytes(bj);
        }
        GroupSessionKey gsk = new GroupSessionKey(roster, Kdf.deriveKey(gskInput));
        epochs.put(roster.groupId(), roster.epoch());
        lastChain.forEach(SecretBytes::destroy);
        List<SecretBytes> kept = new ArrayList<>();
        for (byte[] bj : b) {
            kept.add(SecretBytes.copyOf(bj));
            java.util.Arrays.fill(bj, (byte) 0);
        }
        lastChain = kept;
        return gsk;
    }

    /** Key confirmation broadcast for an agreed GSK (deviation G2). */
    public GroupKeyConfirmation confirmation(GroupSessionKey gsk) {
        return new GroupKeyConfirmation(gsk.groupId(), gsk.epoch(), id, gsk.confirmationTag(id));
    }

    /**
     * Requires one valid confirmation tag from every other member, in any order; a mismatch
     * means the members hold different keys and the run must be repeated.
     */
    public void requireConfirmations(GroupSessionKey gsk, List<GroupKeyConfirmation> confirmations) throws ProtocolException {
        java.util.Set<String> pending = new java.util.HashSet<>(gsk.members());
        pending.remove(id);
        for (GroupKeyConfirmation c : confirmations) {
            if (!c.groupId().equals(gsk.groupId()) || c.epoch() != gsk.epoch()) {
                throw new ProtocolException(Reason.MALFORMED_MESSAGE, "confirmation for another run");
            }
            if (c.member().equals(id)) {
                continue;
            }
            if (!pending.remove(c.member())) {
                throw new ProtocolException(Reason.MALFORMED_MESSAGE, "confirmation from a non-member or repeated");
            }
            gsk.requireConfirmation(c);
        }
        if (!pending.isEmpty()) {
            throw new ProtocolException(Reason.KEY_CONFIRMATION_FAILED, "missing confirmations from " + pending.size() + " members");
        }
    }

    // ------------------------------------------------------------------ test hooks (package-private)

    /**
     * The B_j of the last finished run. Knowing them is equivalent to knowing that epoch's
     * GSK, which the member holds anyway; kept so that tests can model what a departed
     * member remembers, wiped at the next run.
     */
    private List<SecretBytes> lastChain = List.of();

    List<byte[]> lastChain() {
        List<byte[]> out = new ArrayList<>();
        lastChain.forEach(b -> out.add(b.reveal()));
        return out;
    }

    boolean hasEdgeKey(String initiator, String responder) {
        return edgeKeys.containsKey(new Edge(initiator, responder));
    }

    // ------------------------------------------------------------------ helpers

    private byte[] blinding(GroupRoster roster, String from, String to) throws ProtocolException {
        SecretBytes sk = edgeKeys.get(new Edge(from, to));
        if (sk == null) {
            throw new ProtocolException(Reason.NOT_AUTHORIZED, "no authenticated pairwise key for " + from + " -> " + to);
        }
        String peer = from.equals(id) ? to : from;
        byte[] stat = staticValue(peer);
        try {
            return CheckValues.mac(sk, LabelledEncoder.of("GROUP-AGG/B").utf8(from).utf8(to).bytes(stat).nested(roster.encoder()));
        } finally {
            java.util.Arrays.fill(stat, (byte) 0);
        }
    }

    /** T_{s_i}(T_{s_peer}(x)), encoded; cached. */
    private byte[] staticValue(String peer) throws ProtocolException {
        SecretBytes cached = staticSecrets.get(peer);
        if (cached == null) {
            cached = SecretBytes.copyOf(t.parameters().encode(key.apply(t, directory.publicKey(peer))));
            staticSecrets.put(peer, cached);
        }
        return cached.reveal();
    }

    /** The MAC key of an edge, from the static secret T_{s_i}(T_{s_j}(x)) (the paper's H(T_{s_i}T_{s_j}(x))). */
    private SecretBytes staticKey(String peer, String initiator, String responder) throws ProtocolException {
        byte[] stat = staticValue(peer);
        try {
            return Kdf.deriveKey(LabelledEncoder.of("GROUP-AGG/static").utf8(initiator).utf8(responder).bytes(stat));
        } finally {
            java.util.Arrays.fill(stat, (byte) 0);
        }
    }

    private SecretBytes sessionKey(String initiator, String responder, BigInteger sk) {
        return Kdf.deriveKey(LabelledEncoder.of("GROUP-AGG/SK").utf8(initiator).utf8(responder).bytes(t.parameters().encode(sk)));
    }

    private static LabelledEncoder ackMessage(String initiator, String responder, SecretBytes skEdge) {
        return LabelledEncoder.of("GROUP-AGG/MAC'").utf8(initiator).utf8(responder).secret(skEdge);
    }

    private byte[] seal(BigInteger k, String which, String initiator, String responder, BigInteger tR) {
        SecretBytes aeadKey = Kdf.deriveKey(LabelledEncoder.of("GROUP-AGG/K/" + which).utf8(initiator).utf8(responder)
                .bytes(t.parameters().encode(k)));
        try {
            byte[] plain = LabelledEncoder.of("GROUP-AGG/" + which).utf8(initiator).utf8(responder)
                    .bytes(t.parameters().encode(tR)).toByteArray();
            return Aead.seal(aeadKey, new AssociatedData("GROUP-AGG/" + which, initiator, responder, 0L), plain, random);
        } finally {
            aeadKey.destroy();
        }
    }

    private void open(BigInteger k, String which, String initiator, String responder, BigInteger tR, byte[] c)
            throws ProtocolException {
        SecretBytes aeadKey = Kdf.deriveKey(LabelledEncoder.of("GROUP-AGG/K/" + which).utf8(initiator).utf8(responder)
                .bytes(t.parameters().encode(k)));
        byte[] plain;
        try {
            plain = Aead.open(aeadKey, new AssociatedData("GROUP-AGG/" + which, initiator, responder, 0L), c);
        } finally {
            aeadKey.destroy();
        }
        LabelledDecoder d = LabelledDecoder.open(plain, "GROUP-AGG/" + which);
        boolean same = d.utf8().equals(initiator) & d.utf8().equals(responder)
                & java.security.MessageDigest.isEqual(d.bytes(), t.parameters().encode(tR));
        d.finish();
        if (!same) {
            throw new ProtocolException(Reason.KEY_CONFIRMATION_FAILED, "encrypted identities or T_r(x) differ from the clear ones");
        }
    }

    private static <K> void replace(Map<K, SecretBytes> map, K k, SecretBytes v) {
        SecretBytes old = map.put(k, v);
        if (old != null) {
            old.destroy();
        }
    }

    private static void drop(Map<String, SecretBytes> map, String k) {
        SecretBytes old = map.remove(k);
        if (old != null) {
            old.destroy();
        }
    }

    static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    @Override
    public String toString() {
        return "GroupMember[" + id + "]";
    }
}
