package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.medledger.client.ApiProblem;
import org.medledger.client.cloudchain.CloudChainAudit;
import org.medledger.client.cloudchain.CloudChainClient;
import org.medledger.client.cloudchain.SmartcardDevice;
import org.medledger.protocol.cloudchain.AuthRequest;
import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Hpke;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SecretScalar;
import org.medledger.protocol.common.Reason;

/**
 * CLOUD-CHAIN served end to end over HTTP, on the real EAR with real Keycloak tokens: the network
 * administrator registers two medical centers; a patient's smartcard is registered and
 * personalized on the device; the patient authenticates to MC1 and MC2 (ephemeral shares,
 * erratum 5) and each center puts its contract Sc on the ledger; MC1 stores a FHIR EHR at the
 * cloud server; MC2 requests it with the patient's contract, and the access-log transaction is on
 * the ledger before the record is released. The patient's device verifies its ledger entries
 * (exactly these) with inclusion and consistency proofs, and the ledger grew by exactly these entries.
 */
class CloudChainServedIT extends DeployedServer {

    static final CloudChainClient API = CloudChainParties.API;
    static final String PASSWORD = "correct horse battery staple";

    static long treeSize() {
        HttpResponse<String> r = Http.get("/ledger/tree-head", null);
        return r.statusCode() == 200 ? Http.json(r).getJsonNumber("treeSize").longValue() : 0;
    }

    @Test
    void registrationAuthenticationContractStoreAndRequestByASecondCenter() throws Exception {
        long start = treeSize();
        CloudChainParties.Center mc1 = CloudChainParties.center();
        CloudChainParties.Center mc2 = CloudChainParties.center();
        long afterCenters = treeSize();
        assertTrue(afterCenters - start == 2 || afterCenters - start == 3,
                "two member registrations (and the cloud server's, the first time): " + (afterCenters - start));

        CloudChainParties.Patient p = CloudChainParties.patient(PASSWORD);
        String token = p.token();
        CloudChainAudit.Verified first = CloudChainAudit.verify(API.ledger(token, p.hid(), 0), p.hid(), null, 0, null);
        assertEquals(List.of("patient"), first.entries().stream().map(CloudChainAudit.Entry::function).toList());

        // Without a contract, no center may store an EHR for the patient.
        String record = EmrAuthParties.fhirBundle(p.id(), "Type 2 diabetes");
        ApiProblem noContract = assertThrows(ApiProblem.class, () -> API.storeEhr(mc1.token(), mc1.pid(), p.hid(), record));
        assertEquals(403, noContract.status());
        assertEquals("NOT_AUTHORIZED", noContract.code());

        // Authentication and contract with MC1, then with MC2 (each an Sc on the ledger).
        SmartcardDevice.Contracted sc1 = p.card().contractWith(token, mc1.pid(), CloudChainParties.pw(PASSWORD));
        assertEquals(p.hid(), sc1.hid());
        SmartcardDevice.Contracted sc2 = p.card().contractWith(token, mc2.pid(), CloudChainParties.pw(PASSWORD));

        // MC1 stores the EHR at the cloud server (encrypted at rest); MC2 requests it with its contract.
        API.storeEhr(mc1.token(), mc1.pid(), p.hid(), record);
        CloudChainClient.Retrieved got = API.requestEhr(mc2.token(), mc2.pid(), p.hid());
        assertEquals(record, got.record());
        assertEquals(mc1.pid(), got.storedBy());
        assertEquals(p.hid(), got.hid());

        // A center acts only through its own operator.
        ApiProblem notOwn = assertThrows(ApiProblem.class, () -> API.requestEhr(mc1.token(), mc2.pid(), p.hid()));
        assertEquals("NOT_OWN_CENTER", notOwn.code());

        // The patient's device checks every entry about its card, and consistency with the head it saw first.
        CloudChainAudit.Verified audit = CloudChainAudit.verify(API.ledger(token, p.hid(), first.treeSize()), p.hid(),
                first.anchors(), first.treeSize(), first.rootHash());
        List<String> seen = audit.entries().stream().map(e -> e.function() + "|" + e.submitter() + "|" + e.pid()).toList();
        assertEquals(List.of(
                "patient|kgc|",
                "sc|" + mc1.pid() + "|" + mc1.pid(),
                "sc|" + mc2.pid() + "|" + mc2.pid(),
                "access-log|cloud-server|" + mc2.pid()), seen);
        assertEquals(sc1.ledgerLogIndex(), audit.entries().get(1).logIndex());
        assertEquals(sc2.ledgerLogIndex(), audit.entries().get(2).logIndex());
        assertEquals(got.ledgerLogIndex(), audit.entries().get(3).logIndex());
        // Nothing else was appended: the patient's key, two contracts, one access (a refused store added nothing).
        assertEquals(afterCenters + 4, treeSize());
        // An auditor sees the same entries.
        CloudChainAudit.Verified byAuditor = CloudChainAudit.verify(API.ledger(Tokens.forUser("auditor"), p.hid(), 0), p.hid(),
                null, 0, null);
        assertEquals(4, byAuditor.entries().size());
    }

    /** {@code <M_1, M_ap, T_1>} built as the card builds it, but with a guessed {@code x_i}. */
    static AuthRequest forgedAuthRequest(CloudChainParties.Center mc, String hid) {
        return forgedAuthRequest(mc, hid, System.currentTimeMillis(), null);
    }

    /** As above at time {@code t1}, with {@code qI} (if given) as the encoding of the ephemeral share. */
    static AuthRequest forgedAuthRequest(CloudChainParties.Center mc, String hid, long t1, byte[] qI) {
        CurveProfile c = CloudChainParties.CURVE;
        SecretBytes guess = SecretBytes.copyOf(new byte[32]);
        SecretScalar q = SecretScalar.random(c, EmrAuthParties.RANDOM);
        byte[] share = qI != null ? qI : c.encodePoint(q.publicPoint());
        byte[] hidBytes = org.bouncycastle.util.encoders.Hex.decode(hid);
        byte[] plain = LabelledEncoder.of("CLOUD-CHAIN/5.2/M_1/plain").secret(guess).bytes(hidBytes).int64(t1).bytes(share).toByteArray();
        byte[] m1 = Hpke.seal(mc.registration().certJ().kemKey(), "CLOUD-CHAIN/5.2/M_1", null, plain, EmrAuthParties.RANDOM);
        byte[] mAp = CheckValues.mac(guess, LabelledEncoder.of("CLOUD-CHAIN/5.2/M_ap").bytes(hidBytes).int64(t1).utf8(mc.pid())
                .bytes(share));
        return new AuthRequest(m1, mAp, t1);
    }

    @Test
    void aStolenSmartcardWithoutItsPasswordIsRefusedAndLocks() throws Exception {
        CloudChainParties.Center mc = CloudChainParties.center();
        CloudChainParties.Patient p = CloudChainParties.patient(PASSWORD);
        // The thief holds the card (the device store) and a patient account of its own, not the card password.
        String thiefId = EmrAuthParties.unique("cc-thief");
        KeycloakAdmin.createUser(thiefId, "patient");
        KeycloakAdmin.setPassword(thiefId, thiefId + "-demo");
        String thiefToken = Tokens.forUser(thiefId);
        long before = treeSize();
        for (int attempt = 1; attempt <= 2; attempt++) {
            ProtocolException wrong = assertThrows(ProtocolException.class,
                    () -> p.card().contractWith(thiefToken, mc.pid(), CloudChainParties.pw("guess")));
            assertEquals(Reason.WRONG_PASSWORD, wrong.reason());
        }
        ProtocolException locked = assertThrows(ProtocolException.class,
                () -> p.card().contractWith(thiefToken, mc.pid(), CloudChainParties.pw("another guess")));
        assertEquals(Reason.CARD_LOCKED, locked.reason());
        assertTrue(p.card().isLocked());
        // Locked for good: the right password no longer opens it, and nothing reached the server or the ledger.
        ProtocolException still = assertThrows(ProtocolException.class,
                () -> p.card().contractWith(thiefToken, mc.pid(), CloudChainParties.pw(PASSWORD)));
        assertEquals(Reason.CARD_LOCKED, still.reason());
        // Without the password the thief cannot recover x_i; HID_i is public on the ledger, so it forges M_1 with a
        // guessed x_i: the center's verifier V_i = h(x_i) refuses it (erratum 4) and opens no session.
        AuthRequest forged = forgedAuthRequest(mc, p.hid());
        ApiProblem refused = assertThrows(ApiProblem.class, () -> API.authenticate(thiefToken, mc.pid(), forged));
        assertEquals(403, refused.status());
        assertEquals("KEY_CONFIRMATION_FAILED", refused.code());
        assertEquals(before, treeSize());
        assertFalse(API.ledger(p.token(), p.hid(), 0).getJsonArray("entries").size() > 1, "only the card's key is on the ledger");
    }

}
