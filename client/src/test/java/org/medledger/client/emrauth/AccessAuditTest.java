package org.medledger.client.emrauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.medledger.client.AuditFailure;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.contract.seeds.AccessContract;
import org.medledger.ledger.contract.seeds.MemberContract;
import org.medledger.ledger.contract.seeds.SeedContracts;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.crypto.Signer;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.member.TrustAnchors;
import org.medledger.ledger.node.Ledger;
import org.medledger.ledger.node.LedgerConfig;
import org.medledger.ledger.node.Receipt;
import org.medledger.ledger.store.memory.InMemoryLedgerStore;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.TxBody;

/**
 * The patient's own verification of its access list against a real ledger: honest answers
 * verify; every lie of a server (altered proof, another patient's entry, a non-access entry, a
 * head not signed by the certified producer, other anchors, a forked or missing consistency
 * proof) is caught on the device.
 */
class AccessAuditTest {

    private final SecureRandom random = new SecureRandom();
    private final Signer kgc = P256SignatureScheme.generate(random);
    private final Signer producer = P256SignatureScheme.generate(random);
    private final Signer hpc = P256SignatureScheme.generate(random);
    private final AtomicLong nonce = new AtomicLong();
    private final long now = System.currentTimeMillis();
    private final TrustAnchors anchors = new TrustAnchors("kgc", Bytes.of(kgc.publicKey()), List.of(MemberCertificate.issue(kgc,
            "producer-1", Role.BLOCK_PRODUCER, producer.publicKey(), now - 60_000, now + 3_600_000)));
    private final Ledger ledger = Ledger.open(new InMemoryLedgerStore(), LedgerConfig.defaults(anchors,
            SeedContracts.registry(anchors, P256SignatureScheme.INSTANCE), P256SignatureScheme.INSTANCE, "producer-1", producer, Clock.systemUTC()));
    private final List<Long> ofP = new ArrayList<>();

    AccessAuditTest() {
        MemberCertificate cert = MemberCertificate.issue(kgc, "hpc-1", Role.HOSPITAL, hpc.publicKey(), now - 60_000, now + 3_600_000);
        ledger.submitAndWait(new TxBody("kgc", MemberContract.NAME, "register", Arguments.builder().put("certificate", cert.encode())
                .build(), now, nonce.incrementAndGet()).sign(kgc).endorse("kgc", kgc));
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    private Receipt access(String patient, String outcome) {
        Receipt r = ledger.submitAndWait(new TxBody("hpc-1", AccessContract.NAME, "record", Arguments.builder().put("scheme", "EMR-AUTH")
                .put("holderId", "hpc-1").put("patientId", patient).put("accessorId", "doc-2").put("outcome", outcome)
                .put("reason", outcome.equals("released") ? "CONSENTED" : "NOT_AUTHORIZED").put("at", now).build(),
                System.currentTimeMillis(), nonce.incrementAndGet()).sign(hpc));
        if (patient.equals("pat-1")) {
            ofP.add(r.logIndex());
        }
        return r;
    }

    /** The audit response exactly as the server's {@code GET /api/audit/accesses} builds it. */
    private JsonObjectBuilder response(List<Long> indexes, long since) {
        SignedTreeHead sth = ledger.latestTreeHead().orElseThrow();
        long size = sth.treeSize();
        Base64.Encoder b64 = Base64.getEncoder();
        JsonArrayBuilder entries = Json.createArrayBuilder();
        for (long i : indexes) {
            JsonArrayBuilder path = Json.createArrayBuilder();
            ledger.inclusionProof(i, size).path().forEach(d -> path.add(d.hex()));
            entries.add(Json.createObjectBuilder().add("logIndex", i)
                    .add("transaction", b64.encodeToString(ledger.transaction(i).orElseThrow().tx().orElseThrow().encode()))
                    .add("inclusionPath", path));
        }
        JsonObjectBuilder out = Json.createObjectBuilder().add("treeHead", b64.encodeToString(sth.encode())).add("treeSize", size)
                .add("anchors", b64.encodeToString(anchors.encode())).add("entries", entries);
        if (since > 0) {
            JsonArrayBuilder path = Json.createArrayBuilder();
            ledger.consistencyProof(since, size).path().forEach(d -> path.add(d.hex()));
            out.add("consistency", Json.createObjectBuilder().add("firstSize", since).add("secondSize", size).add("path", path));
        }
        return out;
    }

    private void lie(JsonObject response, long since, Digest root) {
        assertThrows(AuditFailure.class, () -> AccessAudit.verify(response, "pat-1", anchors.encode(), since, root));
    }

    @Test
    void anHonestAccessListVerifiesAndExtendsTheHeadSeenBefore() throws Exception {
        access("pat-1", "refused");
        AccessAudit.Verified first = AccessAudit.verify(response(ofP, 0).build(), "pat-1", null, 0, null);
        assertEquals(1, first.accesses().size());
        access("pat-2", "released");
        access("pat-1", "released");
        AccessAudit.Verified second = AccessAudit.verify(response(ofP, first.treeSize()).build(), "pat-1", first.anchors(),
                first.treeSize(), first.rootHash());
        assertEquals(List.of("refused", "released"), second.accesses().stream().map(AccessAudit.Access::outcome).toList());
    }

    @Test
    void everyLieOfTheServerIsCaught() throws Exception {
        access("pat-1", "released");
        AccessAudit.Verified first = AccessAudit.verify(response(ofP, 0).build(), "pat-1", null, 0, null);
        Receipt other = access("pat-2", "released");
        access("pat-1", "refused");
        long since = first.treeSize();
        Digest root = first.rootHash();
        JsonObject honest = response(ofP, since).build();

        // An altered inclusion path.
        JsonObject e0 = honest.getJsonArray("entries").getJsonObject(1);
        String flipped = e0.getJsonArray("inclusionPath").getString(0).replaceFirst("^.", e0.getJsonArray("inclusionPath")
                .getString(0).startsWith("0") ? "1" : "0");
        JsonArrayBuilder path = Json.createArrayBuilder().add(flipped);
        e0.getJsonArray("inclusionPath").stream().skip(1).forEach(path::add);
        lie(Json.createObjectBuilder(honest).add("entries", Json.createArrayBuilder().add(honest.getJsonArray("entries").get(0))
                .add(Json.createObjectBuilder(e0).add("inclusionPath", path))).build(), since, root);
        // Another patient's entry presented as this patient's.
        lie(response(List.of(other.logIndex()), since).build(), since, root);
        // A non-access entry (the hospital's membership registration, log index 0).
        lie(response(List.of(0L), since).build(), since, root);
        // A tree head signed by someone other than the certified producer.
        SignedTreeHead sth = ledger.latestTreeHead().orElseThrow();
        SignedTreeHead forged = SignedTreeHead.sign(sth.logId(), sth.treeSize(), sth.rootHash(), sth.timestamp(), sth.signer(), P256SignatureScheme.generate(random));
        lie(Json.createObjectBuilder(honest).add("treeHead", Base64.getEncoder().encodeToString(forged.encode())).build(), since, root);
        // Other trust anchors than the pinned ones.
        TrustAnchors otherAnchors = new TrustAnchors("kgc", Bytes.of(producer.publicKey()), List.of());
        lie(Json.createObjectBuilder(honest).add("anchors", Base64.getEncoder().encodeToString(otherAnchors.encode())).build(), since, root);
        // No consistency proof, or one against a root the device never saw.
        lie(response(ofP, 0).build(), since, root);
        lie(honest, since, Digest.sha256(new byte[] {1}));
    }
}
