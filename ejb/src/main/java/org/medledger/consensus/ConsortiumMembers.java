package org.medledger.consensus;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.medledger.consortium.Consortium;
import org.medledger.consortium.Cosignature;
import org.medledger.consortium.WitnessedTreeHead;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.member.MemberCertificate;

/**
 * The consortium's members as this node sees them, for the hospital administrator and the
 * auditor (the portal's hospital page and {@code GET /api/consortium/members}): each hospital with
 * its block-producer key's fingerprint and certificate validity from the membership, whether it
 * leads Raft, whether this node refused it as a witness, whether it co-signed the latest witnessed
 * tree head and when, and whether its API answers ({@code /health} within two seconds, at the
 * address {@code medledger.interhospital.peers} gives). A single-node server says so.
 */
@Stateless
@RolesAllowed({"hospital-admin", "auditor", "network-admin"})
public class ConsortiumMembers {

    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    @EJB
    LedgerNode ledger;

    /** One hospital of the membership. {@code reachability}: {@code this node}, {@code reachable}, {@code not ready (HTTP n)}, {@code unreachable}, {@code no address}. */
    public record Member(String id, boolean self, boolean leader, String fingerprint, Instant certificateNotAfter, boolean refused,
                         String reachability, Instant cosignedAt) {

        public boolean cosigned() {
            return cosignedAt != null;
        }
    }

    /**
     * {@code consortium} false: a single node ({@code self} is its producer id, no members). Else
     * the quorum, the latest witnessed head this node holds (size 0 when none yet) and every member.
     */
    public record View(boolean consortium, String self, boolean authority, int quorum, long witnessedSize, Instant witnessedAt,
                       List<Member> members) {
    }

    public View view() {
        Optional<Consortium> c = ledger.consortium();
        if (c.isEmpty()) {
            List<Member> own = new ArrayList<>();
            for (MemberCertificate p : ledger.anchors().producers()) {
                if (p.memberId().equals(ledger.producerId())) {
                    own.add(new Member(p.memberId(), true, true, SignedTreeHead.keyId(p.publicKey().toArray()).hex(),
                            Instant.ofEpochMilli(p.notAfter()), false, "this node", null));
                }
            }
            return new View(false, ledger.producerId(), true, 1, 0, null, List.copyOf(own));
        }
        Consortium consortium = c.get();
        String self = ledger.nodeId().orElse("");
        Optional<WitnessedTreeHead> w = ledger.witnessedHead();
        long size = w.map(WitnessedTreeHead::treeSize).orElse(0L);
        Map<String, Long> cosigned = new HashMap<>();
        if (w.isPresent()) {
            for (Cosignature s : ledger.cosignatures(size)) {
                cosigned.put(s.witness(), s.timestamp());
            }
            for (Cosignature s : w.get().cosignatures()) {
                cosigned.putIfAbsent(s.witness(), s.timestamp());
            }
        }
        String leader = ledger.leader().orElse("");
        Map<String, String> urls = peerUrls();
        Map<String, CompletableFuture<String>> probes = new HashMap<>();
        for (String id : consortium.hospitals()) {
            probes.put(id, id.equals(self) ? CompletableFuture.completedFuture("this node") : probe(urls.get(id)));
        }
        long now = System.currentTimeMillis();
        List<Member> members = new ArrayList<>();
        for (String id : consortium.hospitals()) {
            MemberCertificate cert = consortium.certificates().get(id);
            String fingerprint = cert == null ? "" : SignedTreeHead.keyId(cert.publicKey().toArray()).hex();
            Instant notAfter = cert == null ? null : Instant.ofEpochMilli(cert.notAfter());
            Long at = cosigned.get(id);
            members.add(new Member(id, id.equals(self), id.equals(leader), fingerprint, notAfter,
                    ledger.refusedWitnesses().contains(id), probes.get(id).join(), at == null ? null : Instant.ofEpochMilli(at)));
        }
        Instant witnessedAt = w.map(h -> Instant.ofEpochMilli(h.head().timestamp())).orElse(null);
        return new View(true, self, ledger.isAuthority(), consortium.quorum(), size, witnessedAt, List.copyOf(members));
    }

    private static CompletableFuture<String> probe(String base) {
        if (base == null) {
            return CompletableFuture.completedFuture("no address");
        }
        try {
            HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/health")).timeout(PROBE_TIMEOUT).GET().build();
            return org.medledger.platform.OutboundHttp.client().sendAsync(r, HttpResponse.BodyHandlers.discarding())
                    .handle((resp, e) -> e != null ? "unreachable" : resp.statusCode() == 200 ? "reachable"
                            : "not ready (HTTP " + resp.statusCode() + ")");
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture("no address");
        }
    }

    /** {@code medledger.interhospital.peers}: {@code id=url,...}, the hospitals' API base URLs. */
    static Map<String, String> peerUrls() {
        Map<String, String> m = new HashMap<>();
        for (String entry : System.getProperty("medledger.interhospital.peers", "").split(",")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                m.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim().replaceAll("/+$", ""));
            }
        }
        return m;
    }
}
