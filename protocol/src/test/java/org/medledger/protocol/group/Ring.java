package org.medledger.protocol.group;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.medledger.protocol.common.ProtocolException;

/** Test driver: carries the messages of a GROUP-AGG ring between members (the network, in effect). */
final class Ring {

    final Chebyshev t;
    final SecureRandom random;
    final Map<String, GroupMember> members = new LinkedHashMap<>();
    final Map<String, ChebyshevKeyPair> keys = new LinkedHashMap<>();
    GroupRoster roster;

    private Ring(Chebyshev t, SecureRandom random) {
        this.t = t;
        this.random = random;
    }

    /** n members U1..Un, pairwise-authenticated around the ring, group key not yet run. */
    static Ring authenticated(Chebyshev t, SecureRandom random, int n) throws ProtocolException {
        Ring ring = new Ring(t, random);
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String id = "U" + i;
            ChebyshevKeyPair k = ChebyshevKeyPair.generate(t, random);
            ring.keys.put(id, k);
            ids.add(id);
        }
        ring.roster = new GroupRoster("gid-alice-care", 1, ids);
        for (String id : ids) {
            // each member validates the published keys (with roots, deviation G16) of its two ring neighbours
            Map<String, ChebyshevValue> neighbours = new LinkedHashMap<>();
            for (String peer : List.of(ring.roster.predecessor(id), ring.roster.successor(id))) {
                neighbours.put(peer, ring.keys.get(peer).publicKey());
            }
            ring.members.put(id, new GroupMember(id, ring.keys.get(id), GroupDirectory.ofValues(t, neighbours), t, random));
        }
        for (String id : ids) {
            ring.pairwise(id, ring.roster.successor(id));
        }
        return ring;
    }

    /** The four-step pairwise run initiator → responder, messages through their encodings. */
    void pairwise(String initiator, String responder) throws ProtocolException {
        GroupMember a = members.get(initiator);
        GroupMember b = members.get(responder);
        ChebyshevParameters p = t.parameters();
        AuthenticationRequest req = AuthenticationRequest.decode(t, a.initiate(responder).toBytes(p));
        AuthenticationResponse resp = AuthenticationResponse.decode(t, b.respond(req).toBytes(p));
        AuthenticationAck ack = AuthenticationAck.decode(a.confirm(resp).toBytes());
        b.accept(ack);
    }

    /** Every member of the roster runs the group key; returns their keys, in roster order. */
    List<GroupSessionKey> groupKey() throws ProtocolException {
        List<GroupKeyShare> shares = shares();
        return finish(shares);
    }

    List<GroupKeyShare> shares() throws ProtocolException {
        List<GroupKeyShare> shares = new ArrayList<>();
        for (String id : roster.members()) {
            shares.add(GroupKeyShare.decode(members.get(id).startGroupKey(roster).toBytes()));
        }
        return shares;
    }

    List<GroupSessionKey> finish(List<GroupKeyShare> shares) throws ProtocolException {
        List<GroupSessionKey> out = new ArrayList<>();
        for (String id : roster.members()) {
            out.add(members.get(id).finishGroupKey(shares));
        }
        return out;
    }

    /** A newcomer joins between U_n and U_1: the roster says which runs to do and which keys to drop. */
    GroupMember join(String newcomer) throws ProtocolException {
        ChebyshevKeyPair k = ChebyshevKeyPair.generate(t, random);
        keys.put(newcomer, k);
        Map<String, ChebyshevValue> publics = new LinkedHashMap<>();
        keys.forEach((id, kp) -> publics.put(id, kp.publicKey()));
        GroupMember m = new GroupMember(newcomer, k, GroupDirectory.ofValues(t, publics), t, random);
        for (GroupMember existing : members.values()) {
            existing.learn(newcomer, k.publicKey());
        }
        members.put(newcomer, m);
        change(roster.join(newcomer));
        return m;
    }

    private void change(GroupRoster next) throws ProtocolException {
        for (GroupRoster.Edge e : next.edgesToForget(roster)) {
            if (members.containsKey(e.initiator())) {
                members.get(e.initiator()).forget(e.responder());
            }
            if (members.containsKey(e.responder())) {
                members.get(e.responder()).forget(e.initiator());
            }
        }
        List<GroupRoster.Edge> runs = next.edgesToAuthenticate(roster);
        roster = next;
        for (GroupRoster.Edge e : runs) {
            // new neighbours validate each other's published keys
            members.get(e.initiator()).learn(e.responder(), keys.get(e.responder()).publicKey());
            members.get(e.responder()).learn(e.initiator(), keys.get(e.initiator()).publicKey());
            pairwise(e.initiator(), e.responder());
        }
    }

    /** U_k leaves: U_{k−1} and U_{k+1} forget it and authenticate each other. Returns the leaver. */
    GroupMember leave(String leaver) throws ProtocolException {
        GroupMember gone = members.remove(leaver);
        change(roster.leave(leaver));
        return gone;
    }
}
