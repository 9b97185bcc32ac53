package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.medledger.client.ApiProblem;
import org.medledger.client.emrauth.AccessAudit;
import org.medledger.client.emrauth.ConsentTransactions;
import org.medledger.client.emrauth.EmrAuthClient;
import org.medledger.client.interhospital.InterHospitalClient;
import org.medledger.consortium.WitnessPolicy;
import org.medledger.consortium.WitnessedTreeHead;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.crypto.Signer;
import org.medledger.protocol.common.KeyPossessionProof;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.TrustContext;
import org.medledger.protocol.interhospital.Patient;
import org.medledger.protocol.interhospital.PatientVisit;
import org.medledger.protocol.interhospital.ReleaseAuthorization;
import org.medledger.protocol.interhospital.TreatmentConsent;

/**
 * The consortium on real servers: three hospital nodes, each a WildFly of its own running the
 * EAR with {@code configure-consortium.cli} set ({@link ConsortiumNodes}), one Keycloak. Every
 * node serves a tree head co-signed by a quorum of hospitals; an INTER-HOSPITAL transfer logged
 * through the authority's node is proved to the patient by the other two nodes under their own
 * witnessed heads; with one node of three stopped, a patient's transaction submitted through
 * another node commits and is witnessed, and the stopped node catches up when it is back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsortiumServedIT {

    static final HttpClient HTTP = Http.client(); // trusts the test installation's TLS authority only
    static final byte[] SYMPTOMS = "chest pain on exertion".getBytes(StandardCharsets.UTF_8);

    ConsortiumNodes consortium;
    /** The patient of the transfer, registered at the authority; the membership's anchors pinned on the device. */
    String patientId;
    String patientToken;
    Signer patientLedgerKey;
    /** Hospital A of the transfer (a ledger member). */
    String hospitalA;
    /** Hospital B of the transfer, registered through hpb before the KGC rotation. */
    String hospitalB;
    /** A hospital of hpb registered by this test as hpb's node (before the rotation): its keys and partial key. */
    String forwardedHospital;
    PartyKeys forwardedKeys;
    org.bouncycastle.math.ec.ECPoint forwardedR;
    org.medledger.protocol.common.SecretScalar forwardedS;
    byte[] pinnedAnchors;

    @BeforeAll
    void nodes() throws Exception {
        KeycloakServer.ensureStarted();
        ItPki.startResponder();
        consortium = ConsortiumNodes.start();
        pinnedAnchors = consortium.membership.anchors().encode();
    }

    @AfterAll
    void stop() {
        if (consortium != null) {
            consortium.close();
        }
    }

    static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code url} until the answer passes {@code done}; the last answer otherwise. */
    static HttpResponse<String> await(String url, String token, Predicate<HttpResponse<String>> done) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        HttpResponse<String> r = get(url, token);
        while (!done.test(r) && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            r = get(url, token);
        }
        return r;
    }

    /** The node's witnessed head, checked here against the membership: the head's signature and a quorum of co-signatures. */
    WitnessedTreeHead witnessedHead(ConsortiumNodes.Node n, long atLeast) throws Exception {
        HttpResponse<String> r = await(n.api() + "/ledger/tree-head", null,
                x -> x.statusCode() == 200 && Http.json(x).getJsonNumber("treeSize").longValue() >= atLeast);
        assertEquals(200, r.statusCode(), n.id + ": " + r.body());
        JsonObject o = Http.json(r);
        assertEquals(consortium.membership.quorum(), o.getInt("quorum"));
        WitnessedTreeHead w = WitnessedTreeHead.decode(Base64.getDecoder().decode(o.getString("witnessed")));
        assertEquals(o.getJsonNumber("treeSize").longValue(), w.head().treeSize());
        int counted = new WitnessPolicy(consortium.membership).check(w);
        assertTrue(counted >= consortium.membership.quorum(), n.id + " serves a head with " + counted + " co-signatures");
        assertTrue(w.head().treeSize() >= atLeast, n.id + " is behind");
        return w;
    }

    @Test
    @Order(1)
    void everyNodeServesAHeadWitnessedByAQuorumOfHospitals() throws Exception {
        for (ConsortiumNodes.Node n : consortium.nodes) {
            // the authority records the membership at first start: the ledger is not empty
            WitnessedTreeHead w = witnessedHead(n, 1);
            assertTrue(consortium.membership.isHospital(w.head().signer()), "the head is signed by a hospital of the membership");
        }
        for (ConsortiumNodes.Node n : consortium.nodes) {
            String log = consortium.serverLog(n);
            assertTrue(log.contains("Consortium node " + n.id + " of [hpa, hpb, hpc] (quorum 2)"), n.id + " runs as a node");
        }
        assertTrue(consortium.serverLog(consortium.node("hpa")).contains("Consortium membership recorded on the ledger"));
        // the members as each node sees them (the hospital IT page's EJB): keys from the membership, all reachable
        String admin = Tokens.forUser("hospital-admin");
        for (ConsortiumNodes.Node n : consortium.nodes) {
            HttpResponse<String> r = await(n.api() + "/consortium/members", admin, x -> x.statusCode() == 200
                    && Http.json(x).getJsonNumber("witnessedSize").longValue() > 0);
            assertEquals(200, r.statusCode(), r.body());
            JsonObject v = Http.json(r);
            assertTrue(v.getBoolean("consortium"));
            assertEquals(n.id, v.getString("self"));
            assertEquals(n.id.equals("hpa"), v.getBoolean("authority"), n.id);
            assertEquals(consortium.membership.quorum(), v.getInt("quorum"));
            var members = v.getJsonArray("members");
            assertEquals(List.of("hpa", "hpb", "hpc"), members.stream().map(m -> m.asJsonObject().getString("id")).toList());
            int cosigned = 0;
            for (var m : members) {
                JsonObject o = m.asJsonObject();
                String id = o.getString("id");
                assertEquals(org.medledger.ledger.log.SignedTreeHead.keyId(consortium.membership.certificates().get(id).publicKey()
                        .toArray()).hex(), o.getString("fingerprint"), id);
                assertEquals(id.equals(n.id) ? "this node" : "reachable", o.getString("reachability"), n.id + " sees " + id);
                assertFalse(o.getBoolean("refused"));
                cosigned += o.containsKey("cosignedAt") ? 1 : 0;
            }
            assertTrue(cosigned >= consortium.membership.quorum(), n.id + ": " + v);
        }
        assertEquals(403, get(consortium.node("hpb").api() + "/consortium/members", patientTokenOrNull()).statusCode());
    }

    /** A token of a role that may not see the members (a patient's). */
    static String patientTokenOrNull() throws Exception {
        String id = EmrAuthParties.unique("cs-nosy");
        KeycloakAdmin.createUser(id, "patient");
        KeycloakAdmin.setPassword(id, id + "-demo");
        return Tokens.forUser(id);
    }

    @Test
    @Order(2)
    void interHospitalBetweenHospitalsOnTwoNodesIsLoggedOnceOnEveryNode() throws Exception {
        ConsortiumNodes.Node authority = consortium.node("hpa");
        ConsortiumNodes.Node nodeB = consortium.node("hpb");
        InterHospitalClient ih = new InterHospitalClient(HTTP, URI.create(authority.api()), EmrAuthParties.CURVE);
        InterHospitalClient ihB = new InterHospitalClient(HTTP, URI.create(nodeB.api()), EmrAuthParties.CURVE);
        EmrAuthClient emr = new EmrAuthClient(HTTP, URI.create(authority.api()), EmrAuthParties.CURVE);
        String admin = Tokens.forUser("hospital-admin");
        // hospital A is served by the authority's node, hospital B by hpb: B's keys are generated
        // on hpb, certified by the authority (the registration forwarded, signed by hpb's node key)
        String a = "hpa." + EmrAuthParties.unique("cs");
        String b = "hpb." + EmrAuthParties.unique("cs");
        ih.registerHospital(admin, a);
        JsonObject regB = ihB.registerHospital(admin, b);
        assertTrue(regB.getJsonNumber("ledgerLogIndex").longValue() > 0);
        assertTrue(consortium.serverLog(nodeB).contains("hospital " + b + " registered through the authority"));
        assertTrue(consortium.serverLog(authority).contains("hospital " + b + " of node hpb registered by the authority"));
        // the authority records B as asked by hpb's administrator at hpb, named as A's registration names the same administrator
        String direct = registeredBy(authority, a);
        assertEquals(direct + " at node hpb", registeredBy(authority, b));
        // a node registers only hospitals named after it, and patients register at the authority
        ApiProblem foreign = assertThrows(ApiProblem.class, () -> ihB.registerHospital(admin, EmrAuthParties.unique("cs-not-hpb")));
        assertEquals(403, foreign.status());
        assertEquals("NOT_NODE_HOSPITAL", foreign.code());
        hospitalA = a;
        hospitalB = b;

        // the patient registers through the blockchain center (the authority's KGC) with its own keys
        patientId = EmrAuthParties.unique("cs-patient");
        KeycloakAdmin.createUser(patientId, "patient");
        KeycloakAdmin.setPassword(patientId, patientId + "-demo");
        patientToken = Tokens.forUser(patientId);
        PartyKeys keys = PartyKeys.generate(EmrAuthParties.CURVE, EmrAuthParties.RANDOM);
        patientLedgerKey = P256SignatureScheme.generate(EmrAuthParties.RANDOM);
        var grant = ih.registerPatient(patientToken, patientId, keys.signingPublic().encoded(), keys.kemPublic().encoded(),
                patientLedgerKey.publicKey());
        HttpResponse<String> pk = get(authority.api() + "/kgc/public-key", null);
        TrustContext trust = new TrustContext(MasterPublicKey.decode(EmrAuthParties.CURVE,
                Base64.getDecoder().decode(Http.json(pk).getString("publicKey"))), emr.trust(patientToken).certifierKey(),
                ih.directory(patientToken), EmrAuthParties.deviceVerifier());
        Patient device = new Patient(EmrAuthParties.env(), trust, keys, patientId, ih.ledgerChecks(patientToken));
        device.acceptRegistration(grant);
        ApiProblem elsewhere = assertThrows(ApiProblem.class, () -> ihB.registerPatient(patientToken, patientId,
                keys.signingPublic().encoded(), keys.kemPublic().encoded(), patientLedgerKey.publicKey()));
        assertEquals(409, elsewhere.status());
        assertEquals("REGISTER_AT_AUTHORITY", elsewhere.code());

        // treatment at A, then a referral to B: B's doctor fetches the record from A over HTTP
        String doctor = doctorToken();
        emr.submitConsent(patientToken, ConsentTransactions.grant(patientLedgerKey, patientId, a, TreatmentConsent.SCOPE,
                Instant.now().plus(Duration.ofDays(30)).toEpochMilli()));
        PatientVisit va = device.visit(a);
        InterHospitalClient.OpenedVisit oa = ih.openVisit(patientToken, a, va.hello());
        ih.confirmVisit(patientToken, a, oa.sessionId(), va.acceptChallenge(oa.challenge(), SYMPTOMS, Optional.empty()));
        String dx = EmrAuthParties.unique("DX");
        byte[] fhir = EmrAuthParties.fhirBundle(patientId, "Stable angina").getBytes(StandardCharsets.UTF_8);
        ih.issueRecord(doctor, a, oa.sessionId(), dx, fhir);
        assertArrayEquals(fhir, va.acceptRecord(ih.delivery(patientToken, a, oa.sessionId())).emr());
        emr.submitConsent(patientToken, ConsentTransactions.grant(patientLedgerKey, patientId, b, TreatmentConsent.SCOPE,
                Instant.now().plus(Duration.ofDays(30)).toEpochMilli()));
        ReleaseAuthorization auth = device.authorize(b, a, List.of(dx), Duration.ofHours(1));
        String doctorB = doctorToken();

        // attack: a visit at B without the patient's authorization fetches nothing
        PatientVisit plain = device.visit(b);
        InterHospitalClient.OpenedVisit op = ihB.openVisit(patientToken, b, plain.hello());
        ihB.confirmVisit(patientToken, b, op.sessionId(), plain.acceptChallenge(op.challenge(), SYMPTOMS, Optional.empty()));
        ApiProblem none = assertThrows(ApiProblem.class, () -> ihB.fetchReferred(doctorB, b, op.sessionId()));
        assertEquals("NO_REFERRAL", none.code());

        // attack: a forged authorization (the patient's signature over a longer expiry) is refused by A
        ReleaseAuthorization forged = new ReleaseAuthorization(auth.patientId(), auth.recipientId(), auth.holderId(),
                auth.diagnosisIds(), auth.expiresAt() + 3_600_000, auth.signature());
        PatientVisit vf = device.visit(b);
        InterHospitalClient.OpenedVisit of = ihB.openVisit(patientToken, b, vf.hello());
        ihB.confirmVisit(patientToken, b, of.sessionId(), vf.acceptChallenge(of.challenge(), SYMPTOMS, Optional.of(forged)));
        ApiProblem refused = assertThrows(ApiProblem.class, () -> ihB.fetchReferred(doctorB, b, of.sessionId()));
        assertEquals(403, refused.status(), refused.code());

        // honest: B on hpb fetches the record from A on hpa over HTTP under the patient's authorization
        PatientVisit vb = device.visit(b);
        InterHospitalClient.OpenedVisit ob = ihB.openVisit(patientToken, b, vb.hello());
        ihB.confirmVisit(patientToken, b, ob.sessionId(), vb.acceptChallenge(ob.challenge(), SYMPTOMS, Optional.of(auth)));
        List<InterHospitalClient.FetchedRecord> got = ihB.fetchReferred(doctorB, b, ob.sessionId());
        assertEquals(1, got.size());
        assertArrayEquals(fhir, got.get(0).fhirJson());
        assertEquals(a, got.get(0).holderId());

        // attack: the same authorization presented again releases nothing (A uses it once)
        PatientVisit vr = device.visit(b);
        InterHospitalClient.OpenedVisit or = ihB.openVisit(patientToken, b, vr.hello());
        ihB.confirmVisit(patientToken, b, or.sessionId(), vr.acceptChallenge(or.challenge(), SYMPTOMS, Optional.of(auth)));
        ApiProblem replayed = assertThrows(ApiProblem.class, () -> ihB.fetchReferred(doctorB, b, or.sessionId()));
        assertEquals(409, replayed.status(), replayed.code());

        // The access entry committed once, read on every node: proved under each node's own
        // witnessed head, whose quorum the device checks against the anchors it pinned.
        for (String other : List.of("hpa", "hpb", "hpc")) {
            ConsortiumNodes.Node n = consortium.node(other);
            HttpResponse<String> r = await(n.api() + "/audit/accesses", patientToken,
                    x -> x.statusCode() == 200 && !Http.json(x).getJsonArray("entries").isEmpty());
            assertEquals(200, r.statusCode(), other + ": " + r.body());
            AccessAudit.Verified v = AccessAudit.verify(Http.json(r), patientId, pinnedAnchors, 0, null);
            assertEquals(1, v.accesses().size(), other);
            assertEquals(a, v.accesses().get(0).holderId());
            assertEquals(b, v.accesses().get(0).accessorId());
            assertEquals("released", v.accesses().get(0).outcome());
        }
    }

    @Test
    @Order(3)
    void theAuthorityPublishesSignedParametersAndRefusesRequestsOfNodesOutsideTheConsortium() throws Exception {
        ConsortiumNodes.Node authority = consortium.node("hpa");
        // the center's parameters, signed with the KGC ledger key the membership names
        JsonObject p = Http.json(get(authority.api() + "/inter-hospital/authority/parameters", null));
        byte[] body = Base64.getDecoder().decode(p.getString("parameters"));
        byte[] signature = Base64.getDecoder().decode(p.getString("signature"));
        byte[] kgc = consortium.membership.anchors().kgcPublicKey().toArray();
        assertTrue(P256SignatureScheme.INSTANCE.verify(kgc, nodeMessage("inter-hospital/center-parameters", body), signature));
        body[body.length - 1] ^= 1;
        assertFalse(P256SignatureScheme.INSTANCE.verify(kgc, nodeMessage("inter-hospital/center-parameters", body), signature));
        assertEquals(404, get(consortium.node("hpb").api() + "/inter-hospital/authority/parameters", null).statusCode());

        // a registration signed by a key the membership does not certify: refused, nothing registered
        Signer outsider = P256SignatureScheme.generate(EmrAuthParties.RANDOM);
        for (String claimed : List.of("hpb", "hpx")) {
            String hospital = claimed + "." + EmrAuthParties.unique("cs-outsider");
            byte[] payload = KeyPossessionProof.sign(PartyKeys.generate(EmrAuthParties.CURVE, EmrAuthParties.RANDOM),
                    "inter-hospital/hospital-registration", hospital, "outsider", outsider.publicKey(), System.currentTimeMillis()).encode();
            HttpResponse<String> r = forward(claimed, outsider, "inter-hospital/hospital-registration", payload);
            assertEquals(403, r.statusCode(), r.body());
            assertEquals(claimed.equals("hpb") ? "BAD_NODE_SIGNATURE" : "UNKNOWN_NODE", Http.json(r).getString("code"));
            HttpResponse<String> hachk = get(authority.api() + "/inter-hospital/ledger/hospitals/" + hospital, Tokens.forUser("hospital-admin"));
            assertEquals(200, hachk.statusCode(), hachk.body());
            assertFalse(Http.json(hachk).getBoolean("holds"), "no hains for " + hospital);
        }
    }

    /** A signature's message between nodes: {@code NodeSignatures.message} (purpose, body). */
    static byte[] nodeMessage(String purpose, byte[] body) {
        return LabelledEncoder.of("MEDLEDGER/consortium/node-signature/v1").utf8(purpose).bytes(body).toByteArray();
    }

    @Test
    @Order(4)
    void withOneNodeOfThreeStoppedTheConsortiumKeepsWritingAndTheNodeCatchesUp() throws Exception {
        ConsortiumNodes.Node stopped = consortium.node("hpc");
        ConsortiumNodes.Node hpb = consortium.node("hpb");
        consortium.stop(stopped);
        // a patient-signed consent (renewed for hospital A) submitted through hpb, committed by the two nodes left
        EmrAuthClient emr = new EmrAuthClient(HTTP, URI.create(hpb.api()), EmrAuthParties.CURVE);
        JsonObject receipt = emr.submitConsent(patientToken, ConsentTransactions.grant(patientLedgerKey, patientId,
                hospitalA, TreatmentConsent.SCOPE, Instant.now().plus(Duration.ofDays(60)).toEpochMilli()));
        long index = receipt.getJsonNumber("logIndex").longValue();
        // witnessed by hpa and hpb (quorum 2 of 3) on both running nodes
        witnessedHead(hpb, index + 1);
        witnessedHead(consortium.node("hpa"), index + 1);
        // back, the stopped node replays its log, catches up and co-signs again
        consortium.launch(stopped);
        consortium.awaitDeployed(stopped);
        WitnessedTreeHead w = witnessedHead(stopped, index + 1);
        assertTrue(w.head().treeSize() > index);
        // a fresh token: the restart outlasts an access token's lifetime
        HttpResponse<String> r = await(stopped.api() + "/audit/accesses", Tokens.forUser(patientId), x -> x.statusCode() == 200);
        assertEquals(1, AccessAudit.verify(Http.json(r), patientId, pinnedAnchors, 0, null).accesses().size());
    }

    static final String HOSPITAL_REGISTRATION = "inter-hospital/hospital-registration";
    static final String GRANT_LABEL = "MEDLEDGER/INTER-HOSPITAL/registration-grant/v1";

    /** The node's user named in this test's forwarded requests. */
    static final String NODE_ADMIN = "ward-admin";

    /** Node {@code nodeId}'s request to the authority, signed by {@code key}, asked by {@link #NODE_ADMIN}. */
    HttpResponse<String> forward(String nodeId, Signer key, String purpose, byte[] payload) throws Exception {
        return forward(nodeId, key, purpose, NODE_ADMIN, payload);
    }

    /**
     * Node {@code nodeId}'s request to the authority, signed by {@code key}: {@code (node, time, nonce,
     * requested by, payload)}, a fresh time and nonce each call.
     */
    HttpResponse<String> forward(String nodeId, Signer key, String purpose, String requestedBy, byte[] payload) throws Exception {
        byte[] nonce = new byte[16];
        EmrAuthParties.RANDOM.nextBytes(nonce);
        byte[] request = LabelledEncoder.of("MEDLEDGER/consortium/authority-request/v2").utf8(nodeId)
                .int64(System.currentTimeMillis()).bytes(nonce).utf8(requestedBy).bytes(payload).toByteArray();
        String json = jakarta.json.Json.createObjectBuilder().add("purpose", purpose)
                .add("request", Base64.getEncoder().encodeToString(request))
                .add("signature", Base64.getEncoder().encodeToString(key.sign(nodeMessage(purpose, request)))).build().toString();
        return HTTP.send(HttpRequest.newBuilder(URI.create(consortium.node("hpa").api() + "/inter-hospital/authority/requests"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Hospital node {@code id}'s block-producer key, from its key store (what its operator holds). */
    Signer producerKey(String id) throws Exception {
        java.nio.file.Path config = consortium.node(id).home.resolve("standalone/configuration");
        char[] password = ServerCredentialStore.passwords(config).get("ledger-producer-keystore");
        java.security.KeyStore ks = ServerCredentialStore.open(config, "medledger-ledger-producer.p12", password);
        return P256SignatureScheme.fromPrivateKey((java.security.interfaces.ECPrivateKey) ks.getKey("ledger-producer", password));
    }

    /** A hospital's registration as its node forwards it: the hospital's own proof over its id and public keys. */
    static byte[] hospitalRegistration(String hospitalId, PartyKeys keys, Signer ledgerKey) {
        return hospitalRegistration(hospitalId, keys, ledgerKey, System.currentTimeMillis());
    }

    static byte[] hospitalRegistration(String hospitalId, PartyKeys keys, Signer ledgerKey, long at) {
        return KeyPossessionProof.sign(keys, HOSPITAL_REGISTRATION, hospitalId, "hospital " + hospitalId, ledgerKey.publicKey(), at)
                .encode();
    }

    /** Who asked for {@code memberId}'s registration, as its ledger entry at {@code node} records it (an auditor's read). */
    static String registeredBy(ConsortiumNodes.Node node, String memberId) throws Exception {
        HttpResponse<String> r = await(node.api() + "/ledger/members/" + memberId, Tokens.forUser("auditor"),
                x -> x.statusCode() == 200 && Http.json(x).getBoolean("registered"));
        assertEquals(200, r.statusCode(), r.body());
        return Http.json(r).getString("registeredBy");
    }

    @Test
    @Order(5)
    void aForwardedRegistrationSentAgainGetsTheFirstAnswerAndIsRegisteredOnce() throws Exception {
        ConsortiumNodes.Node authority = consortium.node("hpa");
        Signer hpb = producerKey("hpb");
        String hospital = "hpb." + EmrAuthParties.unique("cs-retry");
        PartyKeys keys = PartyKeys.generate(EmrAuthParties.CURVE, EmrAuthParties.RANDOM);
        byte[] payload = hospitalRegistration(hospital, keys, P256SignatureScheme.generate(EmrAuthParties.RANDOM));
        HttpResponse<String> first = forward("hpb", hpb, HOSPITAL_REGISTRATION, payload);
        assertEquals(200, first.statusCode(), first.body());
        // the node failed locally after the authority answered and sends the same registration again
        // (another time, nonce and signature, asked by another of its users): the first answer, nothing registered twice
        HttpResponse<String> again = forward("hpb", hpb, HOSPITAL_REGISTRATION, "night-admin", payload);
        assertEquals(200, again.statusCode(), again.body());
        byte[] sealed = Base64.getDecoder().decode(Http.json(first).getString("result"));
        assertArrayEquals(sealed, Base64.getDecoder().decode(Http.json(again).getString("result")));
        assertTrue(consortium.serverLog(authority).contains("sent again; the first answer returned"));
        // only the hospital opens the answer (its KEM key): (hains index, R_H, S_H, entry)
        byte[] grant = org.medledger.protocol.common.Hpke.open(keys.kem(), GRANT_LABEL, hospital.getBytes(StandardCharsets.UTF_8), sealed);
        var opened = org.medledger.protocol.common.LabelledDecoder.open(grant, GRANT_LABEL);
        assertTrue(opened.int64() > 0);
        forwardedHospital = hospital;
        forwardedKeys = keys;
        forwardedR = opened.point(EmrAuthParties.CURVE);
        forwardedS = opened.secretScalar(EmrAuthParties.CURVE);
        assertThrows(Exception.class, () -> org.medledger.protocol.common.Hpke.open(PartyKeys.generate(EmrAuthParties.CURVE,
                EmrAuthParties.RANDOM).kem(), GRANT_LABEL, hospital.getBytes(StandardCharsets.UTF_8), sealed));
        HttpResponse<String> hachk = get(authority.api() + "/inter-hospital/ledger/hospitals/" + hospital, Tokens.forUser("hospital-admin"));
        assertTrue(Http.json(hachk).getBoolean("holds"), hachk.body());
        // the ledger's membership entry names the user the node vouched for, at that node (the first request's)
        assertEquals(NODE_ADMIN + " at node hpb", registeredBy(authority, hospital));
        // a request naming no user (or a user name with spaces) is refused before anything is looked up or registered
        for (String nobody : List.of("", "x at node hpa")) {
            HttpResponse<String> unnamed = forward("hpb", hpb, HOSPITAL_REGISTRATION, nobody, payload);
            assertEquals(400, unnamed.statusCode(), unnamed.body());
            assertEquals("MALFORMED_REQUEST", Http.json(unnamed).getString("code"));
        }
        // other content for the same hospital is a second registration, refused
        HttpResponse<String> other = forward("hpb", hpb, HOSPITAL_REGISTRATION, hospitalRegistration(hospital,
                PartyKeys.generate(EmrAuthParties.CURVE, EmrAuthParties.RANDOM), P256SignatureScheme.generate(EmrAuthParties.RANDOM)));
        assertEquals(409, other.statusCode(), other.body());
        assertEquals("ALREADY_REGISTERED", Http.json(other).getString("code"));
        // the same content signed by another member node is that node's request, refused (not hpc's namespace)
        HttpResponse<String> asHpc = forward("hpc", producerKey("hpc"), HOSPITAL_REGISTRATION, payload);
        assertEquals(403, asHpc.statusCode(), asHpc.body());
        assertEquals("NOT_NODE_HOSPITAL", Http.json(asHpc).getString("code"));

        // an answer serves retries only while the hospital's proof is fresh (2 minutes): a retry after that is
        // stale, neither answered from the kept answer nor registered again
        String late = "hpb." + EmrAuthParties.unique("cs-late");
        long at = System.currentTimeMillis() - Duration.ofSeconds(105).toMillis();
        byte[] latePayload = hospitalRegistration(late, PartyKeys.generate(EmrAuthParties.CURVE, EmrAuthParties.RANDOM),
                P256SignatureScheme.generate(EmrAuthParties.RANDOM), at);
        HttpResponse<String> inTime = forward("hpb", hpb, HOSPITAL_REGISTRATION, latePayload);
        assertEquals(200, inTime.statusCode(), inTime.body());
        Thread.sleep(Math.max(0, at + Duration.ofSeconds(125).toMillis() - System.currentTimeMillis()));
        HttpResponse<String> tooLate = forward("hpb", hpb, HOSPITAL_REGISTRATION, latePayload);
        assertEquals(403, tooLate.statusCode(), tooLate.body());
        assertEquals("STALE_PROOF", Http.json(tooLate).getString("code"));
        assertEquals(NODE_ADMIN + " at node hpb", registeredBy(authority, late));
    }

    @Test
    @Order(6)
    void afterAKgcRotationAtTheAuthorityTheOtherNodesServeItsNewKeyWithoutRestart() throws Exception {
        ConsortiumNodes.Node authority = consortium.node("hpa");
        String before = Http.json(get(authority.api() + "/kgc/public-key", null)).getString("keyId");
        for (String id : List.of("hpb", "hpc")) {
            HttpResponse<String> r = get(consortium.node(id).api() + "/kgc/public-key", null);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(before, Http.json(r).getString("keyId"), id + " serves the authority's KGC key");
        }
        HttpResponse<String> rotated = HTTP.send(HttpRequest.newBuilder(URI.create(authority.api() + "/kgc/keys/master/rotation"))
                .header("Authorization", "Bearer " + Tokens.forUser("kgc-operator")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, rotated.statusCode(), rotated.body());
        String after = Http.json(rotated).getString("keyId");
        assertFalse(after.equals(before));
        for (String id : List.of("hpb", "hpc")) {
            HttpResponse<String> r = await(consortium.node(id).api() + "/kgc/public-key", null,
                    x -> x.statusCode() == 200 && Http.json(x).getString("keyId").equals(after));
            assertEquals(after, Http.json(r).getString("keyId"), id + " after the rotation reached its ledger: " + r.body());
        }
        assertTrue(consortium.serverLog(consortium.node("hpb")).contains("the authority's parameters fetched again"));

        // an EMR-AUTH patient registration at hpb is not issued under hpb's own master key: refused, nothing recorded
        String patient = EmrAuthParties.unique("cs-emr-patient");
        KeycloakAdmin.createUser(patient, "patient");
        KeycloakAdmin.setPassword(patient, patient + "-demo");
        String token = Tokens.forUser(patient);
        String body = jakarta.json.Json.createObjectBuilder().add("patientId", patient)
                .add("biometricSecret", Base64.getEncoder().encodeToString(new byte[32])).build().toString();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(consortium.node("hpb").api() + "/kgc/registrations/patients"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(409, r.statusCode(), r.body());
        assertEquals("REGISTER_AT_AUTHORITY", Http.json(r).getString("code"));
        assertEquals(404, get(consortium.node("hpb").api() + "/kgc/registrations/patients/" + patient, token).statusCode());
    }

    @Test
    @Order(7)
    void anEmrAuthHospitalCloudRegistersAtTheAuthorityOnly() throws Exception {
        // at hpb (not the authority) no partial key is issued under hpb's own master key: refused before
        // anything is generated, stored, certified or put on the ledger, and refused the same way again
        String admin = Tokens.forUser("hospital-admin");
        EmrAuthClient atB = new EmrAuthClient(HTTP, URI.create(consortium.node("hpb").api()), EmrAuthParties.CURVE);
        String cloud = EmrAuthParties.unique("cs-hpc");
        for (int i = 0; i < 2; i++) {
            ApiProblem refused = assertThrows(ApiProblem.class, () -> atB.registerHospital(admin, cloud));
            assertEquals(409, refused.status(), refused.getMessage());
            assertEquals("REGISTER_AT_AUTHORITY", refused.code(), refused.getMessage());
        }
        assertEquals(404, get(consortium.node("hpb").api() + "/kgc/registrations/hospital-clouds/" + cloud, admin).statusCode());
        // at the authority the same registration is made
        EmrAuthClient atA = new EmrAuthClient(HTTP, URI.create(consortium.node("hpa").api()), EmrAuthParties.CURVE);
        assertTrue(atA.registerHospital(admin, cloud).getJsonNumber("ledgerLogIndex").longValue() > 0);
    }

    @Test
    @Order(8)
    void aForwardingNodeCannotSubstituteTheKeysOfTheHospitalItRegisters() throws Exception {
        ConsortiumNodes.Node authority = consortium.node("hpa");
        Signer hpb = producerKey("hpb");
        String hospital = "hpb." + EmrAuthParties.unique("cs-swap");
        PartyKeys keys = PartyKeys.generate(EmrAuthParties.CURVE, EmrAuthParties.RANDOM);
        Signer ledgerKey = P256SignatureScheme.generate(EmrAuthParties.RANDOM);
        KeyPossessionProof honest = KeyPossessionProof.decode(EmrAuthParties.CURVE, hospitalRegistration(hospital, keys, ledgerKey));
        // the node keeps the hospital's signature and puts its own KEM key (then signing key, then ledger key) in:
        // the authority checks the hospital's signature over its keys and refuses, nothing registered
        PartyKeys nodes = PartyKeys.generate(EmrAuthParties.CURVE, EmrAuthParties.RANDOM);
        List<KeyPossessionProof> swapped = List.of(
                new KeyPossessionProof(honest.purpose(), hospital, honest.detail(), honest.signingKey(), nodes.kemPublic(),
                        honest.ledgerKey(), honest.at(), honest.signature()),
                new KeyPossessionProof(honest.purpose(), hospital, honest.detail(), nodes.signingPublic(), honest.kemKey(),
                        honest.ledgerKey(), honest.at(), honest.signature()),
                new KeyPossessionProof(honest.purpose(), hospital, honest.detail(), honest.signingKey(), honest.kemKey(),
                        P256SignatureScheme.generate(EmrAuthParties.RANDOM).publicKey(), honest.at(), honest.signature()));
        for (KeyPossessionProof p : swapped) {
            HttpResponse<String> r = forward("hpb", hpb, HOSPITAL_REGISTRATION, p.encode());
            assertEquals(403, r.statusCode(), r.body());
            assertEquals("BAD_SIGNATURE", Http.json(r).getString("code"));
        }
        // a proof signed long ago (kept and replayed) is not a new registration
        HttpResponse<String> stale = forward("hpb", hpb, HOSPITAL_REGISTRATION, hospitalRegistration(hospital, keys, ledgerKey,
                System.currentTimeMillis() - Duration.ofMinutes(10).toMillis()));
        assertEquals(403, stale.statusCode(), stale.body());
        assertEquals("STALE_PROOF", Http.json(stale).getString("code"));
        String admin = Tokens.forUser("hospital-admin");
        HttpResponse<String> hachk = get(authority.api() + "/inter-hospital/ledger/hospitals/" + hospital, admin);
        assertFalse(Http.json(hachk).getBoolean("holds"), hachk.body());
        // the hospital's own registration goes through, its entry certifying its own KEM key
        HttpResponse<String> ok = forward("hpb", hpb, HOSPITAL_REGISTRATION, honest.encode());
        assertEquals(200, ok.statusCode(), ok.body());
        byte[] grant = org.medledger.protocol.common.Hpke.open(keys.kem(), GRANT_LABEL, hospital.getBytes(StandardCharsets.UTF_8),
                Base64.getDecoder().decode(Http.json(ok).getString("result")));
        var d = org.medledger.protocol.common.LabelledDecoder.open(grant, GRANT_LABEL);
        d.int64();
        d.point(EmrAuthParties.CURVE);
        d.secretScalar(EmrAuthParties.CURVE).destroy();
        var entry = org.medledger.protocol.common.DirectoryEntry.decode(EmrAuthParties.CURVE, d.bytes());
        assertArrayEquals(keys.kemPublic().encoded(), entry.kemKey().encoded());
        assertTrue(Http.json(get(authority.api() + "/inter-hospital/ledger/hospitals/" + hospital, admin)).getBoolean("holds"));
    }

    @Test
    @Order(9)
    void aNodeWhoseAuthorityPresentsACertificateFromAForeignAuthoritySendsAndStoresNothing() throws Exception {
        ConsortiumNodes.Node authority = consortium.node("hpa");
        ConsortiumNodes.Node nodeB = consortium.node("hpb");
        InterHospitalClient ihB = new InterHospitalClient(HTTP, URI.create(nodeB.api()), EmrAuthParties.CURVE);
        String admin = Tokens.forUser("hospital-admin");
        String stateBefore = ihB.hospitalPartialKey(admin, hospitalB).toString();
        java.util.concurrent.atomic.AtomicInteger reached = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpsServer rogue = PeerTlsIT.rogueServer(reached);
        String hospital = "hpb." + EmrAuthParties.unique("cs-untrusted");
        try (org.jboss.as.controller.client.ModelControllerClient management = management(nodeB)) {
            // hpb's authority address now answers with a certificate another authority issued for 127.0.0.1
            setAuthorityUrl(management, "https://127.0.0.1:" + rogue.getAddress().getPort() + "/api");
            try {
                ApiProblem registration = assertThrows(ApiProblem.class, () -> ihB.registerHospital(admin, hospital));
                assertEquals(503, registration.status(), registration.getMessage());
                assertEquals("AUTHORITY_UNTRUSTED", registration.code(), registration.getMessage());
                ApiProblem renewal = assertThrows(ApiProblem.class, () -> ihB.renewHospital(admin, hospitalB));
                assertEquals(503, renewal.status(), renewal.getMessage());
                assertEquals("AUTHORITY_UNTRUSTED", renewal.code(), renewal.getMessage());
            } finally {
                setAuthorityUrl(management, authority.api());
            }
        } finally {
            rogue.stop(0);
        }
        assertEquals(0, reached.get(), "a request reached the server with the foreign certificate");
        // nothing registered or renewed: not served at hpb, not on the ledger, B's partial key as before
        ApiProblem unknown = assertThrows(ApiProblem.class, () -> ihB.hospitalPartialKey(admin, hospital));
        assertEquals(404, unknown.status(), unknown.getMessage());
        assertFalse(Http.json(get(authority.api() + "/inter-hospital/ledger/hospitals/" + hospital, admin)).getBoolean("holds"));
        assertEquals(stateBefore, ihB.hospitalPartialKey(admin, hospitalB).toString());
    }

    static final String HOSPITAL_RENEWAL = "inter-hospital/hospital-renewal";
    static final String RENEWAL_LABEL = "MEDLEDGER/INTER-HOSPITAL/hospital-renewal/v1";
    static final String RENEWAL_GRANT_LABEL = "MEDLEDGER/INTER-HOSPITAL/renewal-grant/v1";

    /** A hospital's renewal as its node forwards it: the proof by its partial key {@code (r, s)} issued under {@code keyId}. */
    static byte[] hospitalRenewal(String hospitalId, String keyId, org.bouncycastle.math.ec.ECPoint r,
                                  org.medledger.protocol.common.SecretScalar s, Instant at) {
        byte[] proof = org.medledger.protocol.common.PartialKeyRenewal.sign(org.medledger.protocol.interhospital.InterHospitalRenewal.HOSPITAL,
                s, hospitalId, keyId, r, at);
        return LabelledEncoder.of(RENEWAL_LABEL).utf8(hospitalId).utf8(keyId).point(EmrAuthParties.CURVE, r).int64(at.getEpochSecond())
                .bytes(proof).toByteArray();
    }

    @Test
    @Order(10)
    void aHospitalOfANonAuthorityNodeRenewsItsPartialKeyThroughTheAuthorityAfterARotation() throws Exception {
        ConsortiumNodes.Node authority = consortium.node("hpa");
        ConsortiumNodes.Node nodeB = consortium.node("hpb");
        InterHospitalClient ih = new InterHospitalClient(HTTP, URI.create(authority.api()), EmrAuthParties.CURVE);
        InterHospitalClient ihB = new InterHospitalClient(HTTP, URI.create(nodeB.api()), EmrAuthParties.CURVE);
        EmrAuthClient emr = new EmrAuthClient(HTTP, URI.create(authority.api()), EmrAuthParties.CURVE);
        String admin = Tokens.forUser("hospital-admin");
        JsonObject keysNow = Http.json(get(authority.api() + "/kgc/public-key", null));
        String current = keysNow.getString("keyId");
        MasterPublicKey pk = MasterPublicKey.decode(EmrAuthParties.CURVE, Base64.getDecoder().decode(keysNow.getString("publicKey")));

        // hpb knows under which of the authority's older keys B's partial key was issued
        JsonObject due = ihB.hospitalPartialKey(admin, hospitalB);
        assertEquals("renewal due", due.getJsonArray("keys").getJsonObject(0).getString("state"), due.toString());
        String before = due.getString("kgcKeyId");
        assertFalse(before.equals(current));

        // a patient registered after the rotation: a run with B is refused until B renews
        String patient = EmrAuthParties.unique("cs-renewal-patient");
        KeycloakAdmin.createUser(patient, "patient");
        KeycloakAdmin.setPassword(patient, patient + "-demo");
        String token = Tokens.forUser(patient);
        PartyKeys keys = PartyKeys.generate(EmrAuthParties.CURVE, EmrAuthParties.RANDOM);
        Signer ledgerKey = P256SignatureScheme.generate(EmrAuthParties.RANDOM);
        var grant = ih.registerPatient(token, patient, keys.signingPublic().encoded(), keys.kemPublic().encoded(), ledgerKey.publicKey());
        // the device reads the authority's directory afresh for each lookup (B's entry is re-certified by the renewal)
        org.medledger.protocol.common.PartyDirectory directory = (scheme, role, id) -> ih.directory(token).find(scheme, role, id);
        Patient device = new Patient(EmrAuthParties.env(), new TrustContext(pk, emr.trust(token).certifierKey(), directory,
                EmrAuthParties.deviceVerifier()), keys, patient, ih.ledgerChecks(token));
        device.acceptRegistration(grant);
        emr.submitConsent(token, ConsentTransactions.grant(ledgerKey, patient, hospitalB, TreatmentConsent.SCOPE,
                Instant.now().plus(Duration.ofDays(30)).toEpochMilli()));
        PatientVisit early = device.visit(hospitalB);
        ApiProblem refused = assertThrows(ApiProblem.class, () -> ihB.openVisit(token, hospitalB, early.hello()));
        assertEquals(409, refused.status(), refused.getMessage());
        assertEquals("PARTIAL_KEY_RENEWAL_DUE", refused.code(), refused.getMessage());

        // B's administrator renews at hpb: hpb forwards B's proof, the authority renews and records it
        JsonObject renewed = ihB.renewHospital(admin, hospitalB);
        assertEquals(current, renewed.getString("kgcKeyId"), renewed.toString());
        assertEquals(before, renewed.getString("previousKeyId"));
        long index = renewed.getJsonNumber("logIndex").longValue();
        assertTrue(index > 0);
        assertTrue(consortium.serverLog(nodeB).contains("hospital " + hospitalB + "'s partial key renewed through the authority"));
        // the authority's keys.rotate entry is renewed by hpb's administrator at hpb (its rotatedBy, as the KGC submitted it)
        assertTrue(consortium.serverLog(authority).contains("INTER-HOSPITAL/hospital/" + hospitalB + ": key id " + before + " -> " + current
                + ", ledger entry " + index + " (by " + registeredBy(authority, hospitalA) + " at node hpb)"));
        JsonObject after = ihB.hospitalPartialKey(admin, hospitalB);
        assertEquals("current", after.getJsonArray("keys").getJsonObject(0).getString("state"), after.toString());
        assertEquals(current, after.getString("kgcKeyId"));
        JsonObject superseded = after.getJsonArray("keys").getJsonObject(1);
        assertEquals(before, superseded.getString("kgcKeyId"));
        assertEquals(index, superseded.getJsonNumber("logIndex").longValue());
        ApiProblem again = assertThrows(ApiProblem.class, () -> ihB.renewHospital(admin, hospitalB));
        assertEquals("ALREADY_CURRENT", again.code(), again.getMessage());

        // now the run: B's new key under the current PK, its entry re-certified at the authority
        PatientVisit v = device.visit(hospitalB);
        InterHospitalClient.OpenedVisit o = ihB.openVisit(token, hospitalB, v.hello());
        ihB.confirmVisit(token, hospitalB, o.sessionId(), v.acceptChallenge(o.challenge(), SYMPTOMS, Optional.empty()));

        // attacks on the forwarded renewal, as hpb's node (the test holds that hospital's partial key)
        Signer hpb = producerKey("hpb");
        String h = forwardedHospital;
        var forgedS = org.medledger.protocol.common.SecretScalar.random(EmrAuthParties.CURVE, EmrAuthParties.RANDOM);
        HttpResponse<String> forged = forward("hpb", hpb, HOSPITAL_RENEWAL, hospitalRenewal(h, before, forwardedR, forgedS, Instant.now()));
        assertEquals(403, forged.statusCode(), forged.body());
        assertEquals("NO_PROOF_OF_POSSESSION", Http.json(forged).getString("code"));
        byte[] payload = hospitalRenewal(h, before, forwardedR, forwardedS, Instant.now());
        HttpResponse<String> ok = forward("hpb", hpb, HOSPITAL_RENEWAL, payload);
        assertEquals(200, ok.statusCode(), ok.body());
        byte[] sealed = Base64.getDecoder().decode(Http.json(ok).getString("result"));
        var d = org.medledger.protocol.common.LabelledDecoder.open(org.medledger.protocol.common.Hpke.open(forwardedKeys.kem(),
                RENEWAL_GRANT_LABEL, h.getBytes(StandardCharsets.UTF_8), sealed), RENEWAL_GRANT_LABEL);
        assertTrue(d.int64() > index);
        assertEquals(current, d.utf8());
        var newR = d.point(EmrAuthParties.CURVE);
        // S_H·P == R_H + H1(ID_H, R_H)·PK under the current PK  (eq. 13)
        assertTrue(org.medledger.protocol.interhospital.InterHospitalRenewal.issuedUnder(pk, h, newR, d.secretScalar(EmrAuthParties.CURVE)));
        // the same renewal sent by another node: not its hospital, refused
        HttpResponse<String> asHpc = forward("hpc", producerKey("hpc"), HOSPITAL_RENEWAL, payload);
        assertEquals(403, asHpc.statusCode(), asHpc.body());
        assertEquals("NOT_NODE_HOSPITAL", Http.json(asHpc).getString("code"));
        // hpb sending it again (a retry) gets the first answer: renewed and recorded once
        HttpResponse<String> retried = forward("hpb", hpb, HOSPITAL_RENEWAL, payload);
        assertEquals(200, retried.statusCode(), retried.body());
        assertArrayEquals(sealed, Base64.getDecoder().decode(Http.json(retried).getString("result")));
        // a new proof by the old partial key (kept after the renewal): superseded, refused
        HttpResponse<String> old = forward("hpb", hpb, HOSPITAL_RENEWAL,
                hospitalRenewal(h, before, forwardedR, forwardedS, Instant.now().plusSeconds(1)));
        assertEquals(409, old.statusCode(), old.body());
        assertEquals("SUPERSEDED_KEY", Http.json(old).getString("code"));
    }

    /** The node's management interface (local authentication: the test runs as the servers' user). */
    static org.jboss.as.controller.client.ModelControllerClient management(ConsortiumNodes.Node n) throws Exception {
        return org.jboss.as.controller.client.ModelControllerClient.Factory.create("remote+http", "127.0.0.1",
                9990 + ItConfig.consortiumPortOffset(n.index));
    }

    static void setAuthorityUrl(org.jboss.as.controller.client.ModelControllerClient management, String url) throws Exception {
        org.jboss.dmr.ModelNode op = new org.jboss.dmr.ModelNode();
        op.get("operation").set("write-attribute");
        op.get("address").add("system-property", "medledger.consortium.authority-url");
        op.get("name").set("value");
        op.get("value").set(url);
        org.jboss.dmr.ModelNode result = management.execute(op);
        assertEquals("success", result.get("outcome").asString(), result.toString());
    }

    /** A doctor's token: certificate from the test medical authority, X.509 login at Keycloak. */
    static String doctorToken() throws Exception {
        String id = EmrAuthParties.unique("cs-doctor");
        KeycloakAdmin.createUser(id, "doctor");
        var c = ItPki.authority().issueDoctorWithNewKey(id, Duration.ofDays(2));
        DoctorLogin.Outcome login = DoctorLogin.login(c.privateKey(), c.chain());
        if (!login.succeeded()) {
            throw new IllegalStateException("doctor login failed: " + login.body());
        }
        return login.accessToken();
    }
}
