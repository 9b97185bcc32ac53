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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.medledger.client.AuditFailure;
import org.medledger.client.cloudchain.CloudChainAudit;
import org.medledger.client.group.CircleLedgerAudit;
import org.medledger.consortium.Consortium;
import org.medledger.consortium.Cosignature;
import org.medledger.consortium.WitnessedTreeHead;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.contract.ContractRegistry;
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
 * On a consortium's ledger (three hospitals, quorum 2) the patient's device accepts an access
 * list (or any other ledger answer) only under a tree head a quorum of hospitals co-signed: one co-signature, none, a
 * membership with other anchors, or witnesses of another head are refused.
 */
class AccessAuditQuorumTest {

    private final SecureRandom random = new SecureRandom();
    private final Signer kgc = P256SignatureScheme.generate(random);
    private final List<String> ids = List.of("hpa", "hpb", "hpc");
    private final List<Signer> nodes = List.of(P256SignatureScheme.generate(random), P256SignatureScheme.generate(random),
            P256SignatureScheme.generate(random));
    private final Signer hpc = P256SignatureScheme.generate(random);
    private final long now = System.currentTimeMillis();
    private final TrustAnchors anchors;
    private final Consortium consortium;
    private final Ledger ledger;
    private long nonce;

    AccessAuditQuorumTest() {
        List<MemberCertificate> certs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            certs.add(MemberCertificate.issue(kgc, ids.get(i), Role.BLOCK_PRODUCER, nodes.get(i).publicKey(), now - 60_000, now + 3_600_000));
        }
        anchors = new TrustAnchors("kgc", Bytes.of(kgc.publicKey()), certs);
        consortium = new Consortium(anchors, ids, 2, ContractRegistry.of(), P256SignatureScheme.INSTANCE);
        ledger = Ledger.open(new InMemoryLedgerStore(), LedgerConfig.defaults(anchors, SeedContracts.registry(anchors,
                P256SignatureScheme.INSTANCE), P256SignatureScheme.INSTANCE, "hpa", nodes.get(0), Clock.systemUTC()));
        MemberCertificate cert = MemberCertificate.issue(kgc, "holder", Role.HOSPITAL, hpc.publicKey(), now - 60_000, now + 3_600_000);
        ledger.submitAndWait(new TxBody("kgc", MemberContract.NAME, "register", Arguments.builder().put("certificate", cert.encode())
                .build(), now, ++nonce).sign(kgc).endorse("kgc", kgc));
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    private Receipt access() {
        return ledger.submitAndWait(new TxBody("holder", AccessContract.NAME, "record", Arguments.builder().put("scheme", "INTER-HOSPITAL")
                .put("holderId", "holder").put("patientId", "pat-1").put("accessorId", "hpb").put("outcome", "released")
                .put("reason", "PATIENT_AUTHORIZATION").put("at", now).build(), System.currentTimeMillis(), ++nonce).sign(hpc));
    }

    private Cosignature cosign(int node, SignedTreeHead h) {
        return Cosignature.sign(ids.get(node), h.treeSize(), h.rootHash(), h.timestamp(), nodes.get(node));
    }

    /** The answer as the server builds it in consortium mode (org.medledger.api.ledger.ProvenEntries), with the entry at {@code index}, or none if negative. */
    private JsonObjectBuilder response(long index, List<Cosignature> cosignatures, Consortium membership) {
        SignedTreeHead sth = ledger.latestTreeHead().orElseThrow();
        Base64.Encoder b64 = Base64.getEncoder();
        JsonArrayBuilder entries = Json.createArrayBuilder();
        if (index >= 0) {
            JsonArrayBuilder path = Json.createArrayBuilder();
            ledger.inclusionProof(index, sth.treeSize()).path().forEach(d -> path.add(d.hex()));
            entries.add(Json.createObjectBuilder().add("logIndex", index)
                    .add("transaction", b64.encodeToString(ledger.transaction(index).orElseThrow().tx().orElseThrow().encode()))
                    .add("inclusionPath", path));
        }
        JsonObjectBuilder out = Json.createObjectBuilder().add("treeHead", b64.encodeToString(sth.encode())).add("treeSize", sth.treeSize())
                .add("anchors", b64.encodeToString(anchors.encode())).add("entries", entries);
        if (cosignatures != null) {
            out.add("witnessed", b64.encodeToString(new WitnessedTreeHead(sth, cosignatures).encode()))
                    .add("membership", b64.encodeToString(membership.encode()));
        }
        return out;
    }

    @Test
    void theAccessListCountsOnlyUnderAQuorumOfHospitalCoSignatures() throws Exception {
        long index = access().logIndex();
        SignedTreeHead sth = ledger.latestTreeHead().orElseThrow();
        AccessAudit.Verified ok = AccessAudit.verify(response(index, List.of(cosign(1, sth), cosign(2, sth)), consortium).build(),
                "pat-1", anchors.encode(), 0, null);
        assertEquals(1, ok.accesses().size());

        List<JsonObject> lies = new ArrayList<>();
        lies.add(response(index, null, consortium).build());                                  // no witnesses at all
        lies.add(response(index, List.of(cosign(1, sth)), consortium).build());               // one hospital only
        lies.add(response(index, List.of(cosign(1, sth), cosign(1, sth)), consortium).build()); // the same hospital twice
        SignedTreeHead other = SignedTreeHead.sign(sth.logId(), sth.treeSize(), org.medledger.ledger.codec.Digest.sha256(new byte[] {1}),
                sth.timestamp(), "hpa", nodes.get(0));
        lies.add(response(index, List.of(cosign(1, other), cosign(2, other)), consortium).build()); // witnesses of another root
        Signer stranger = P256SignatureScheme.generate(random);
        List<MemberCertificate> foreign = new ArrayList<>(anchors.producers());
        foreign.set(2, MemberCertificate.issue(kgc, "hpc", Role.BLOCK_PRODUCER, stranger.publicKey(), now - 60_000, now + 3_600_000));
        Consortium otherMembership = new Consortium(new TrustAnchors("kgc", Bytes.of(kgc.publicKey()), foreign), ids, 2,
                ContractRegistry.of(), P256SignatureScheme.INSTANCE);
        lies.add(response(index, List.of(cosign(1, sth), Cosignature.sign("hpc", sth.treeSize(), sth.rootHash(), sth.timestamp(), stranger)),
                otherMembership).build());                                                    // a membership with other anchors
        for (JsonObject lie : lies) {
            assertThrows(AuditFailure.class, () -> AccessAudit.verify(lie, "pat-1", anchors.encode(), 0, null));
        }
    }

    /**
     * Every ledger answer the client checks goes through the same rule: a smartcard's CLOUD-CHAIN
     * entries and a care circle's history on a consortium's ledger count only under a witnessed
     * head too (answers without entries, so that only the head decides).
     */
    @Test
    void smartcardAndCircleHistoriesNeedTheQuorumToo() throws Exception {
        access();
        SignedTreeHead sth = ledger.latestTreeHead().orElseThrow();
        JsonObject witnessed = response(-1, List.of(cosign(1, sth), cosign(2, sth)), consortium).build();
        assertEquals(List.of(), CloudChainAudit.verify(witnessed, "hid-1", anchors.encode(), 0, null).entries());
        assertEquals(List.of(), CircleLedgerAudit.verify(witnessed, "g-1", "pat-1", anchors.encode()));
        for (JsonObject lie : List.of(response(-1, null, consortium).build(), response(-1, List.of(cosign(1, sth)), consortium).build())) {
            assertThrows(AuditFailure.class, () -> CloudChainAudit.verify(lie, "hid-1", anchors.encode(), 0, null));
            assertThrows(AuditFailure.class, () -> CircleLedgerAudit.verify(lie, "g-1", "pat-1", anchors.encode()));
        }
    }
}
