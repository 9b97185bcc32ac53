package org.medledger.protocol.group;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

import org.medledger.protocol.common.LabelledEncoder;

/**
 * The group as a ring U_1 → U_2 → … → U_n → U_1 (seed 004 §III-D), its group id GID (the
 * same for every member, PROTOCOLS.md §5 erratum 2) and its epoch. The epoch grows by one
 * with every membership change and is bound into every B_i (deviation G1 in
 * docs/protocols/group-agg.md): without it a leaver or a newcomer could derive the other
 * epoch's group key.
 */
public record GroupRoster(String groupId, long epoch, List<String> members) {

    public static final int MAX_MEMBERS = 1000;

    public GroupRoster {
        requireId(groupId);
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be non-negative");
        }
        members = List.copyOf(members);
        if (members.size() < 2 || members.size() > MAX_MEMBERS) {
            throw new IllegalArgumentException("a group has 2.." + MAX_MEMBERS + " members");
        }
        if (new HashSet<>(members).size() != members.size()) {
            throw new IllegalArgumentException("member ids must be distinct");
        }
        members.forEach(GroupRoster::requireId);
    }

    static String requireId(String id) {
        Objects.requireNonNull(id, "id is required");
        if (id.isBlank() || id.length() > 256) {
            throw new IllegalArgumentException("ids are 1..256 characters");
        }
        return id;
    }

    public int size() {
        return members.size();
    }

    public int indexOf(String member) {
        return members.indexOf(member);
    }

    /** U_{i+1}. */
    public String successor(String member) {
        int i = requireMember(member);
        return members.get((i + 1) % members.size());
    }

    /** U_{i−1}. */
    public String predecessor(String member) {
        int i = requireMember(member);
        return members.get((i - 1 + members.size()) % members.size());
    }

    /** Member join (seed 004 §III-D3): the newcomer becomes U_{n+1}, between U_n and U_1; next epoch. */
    public GroupRoster join(String newcomer) {
        List<String> m = new ArrayList<>(members);
        m.add(newcomer);
        return new GroupRoster(groupId, epoch + 1, m);
    }

    /** Member leave (seed 004 §III-D4): U_k leaves, U_{k+1}.. shift down; next epoch. */
    public GroupRoster leave(String leaver) {
        requireMember(leaver);
        List<String> m = new ArrayList<>(members);
        m.remove(leaver);
        return new GroupRoster(groupId, epoch + 1, m);
    }

    /** A directed ring edge U_i → U_{i+1}: who initiates the pairwise run with whom. */
    public record Edge(String initiator, String responder) {
    }

    /** Every edge of this ring, in member order. */
    public List<Edge> edges() {
        List<Edge> out = new ArrayList<>();
        for (String m : members) {
            out.add(new Edge(m, successor(m)));
        }
        return out;
    }

    /**
     * The pairwise runs a membership change needs: the edges of this roster that
     * {@code previous} did not have (join: U_n → newcomer, newcomer → U_1; leave:
     * U_{k−1} → U_{k+1}).
     */
    public List<Edge> edgesToAuthenticate(GroupRoster previous) {
        List<Edge> out = new ArrayList<>(edges());
        out.removeAll(previous.edges());
        return out;
    }

    /** The edges of {@code previous} that this roster no longer has: their keys are to be forgotten. */
    public List<Edge> edgesToForget(GroupRoster previous) {
        List<Edge> out = new ArrayList<>(previous.edges());
        out.removeAll(edges());
        return out;
    }

    LabelledEncoder encoder() {
        LabelledEncoder e = LabelledEncoder.of("GROUP-AGG/Roster/v1").utf8(groupId).int64(epoch).int32(members.size());
        members.forEach(e::utf8);
        return e;
    }

    private int requireMember(String member) {
        int i = members.indexOf(member);
        if (i < 0) {
            throw new IllegalArgumentException(member + " is not in the group");
        }
        return i;
    }
}
