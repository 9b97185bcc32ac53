package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medledger.client.ApiProblem;
import org.medledger.client.emrauth.AccessAudit;
import org.medledger.client.emrauth.ConsentTransactions;
import org.medledger.client.emrauth.EmrAuthClient;
import org.medledger.client.pki.RevocationReason;
import org.medledger.protocol.emrauth.ConsultationRequest;
import org.medledger.protocol.emrauth.ConsultationResponse;
import org.medledger.protocol.emrauth.DiagnosisDelivery;
import org.medledger.protocol.emrauth.DoctorConsultation;
import org.medledger.protocol.emrauth.DoctorEmrSearch;
import org.medledger.protocol.emrauth.EmrRequest;
import org.medledger.protocol.emrauth.HospitalAccessRequest;
import org.medledger.protocol.emrauth.PatientConsultation;
import org.medledger.protocol.emrauth.SignalDelivery;

/**
 * EMR-AUTH served end to end over HTTP, on the real EAR with real Keycloak tokens: registration
 * of P, D, D2 and an HPC → consultation through the relay → diagnosis, stored at the HPC as a
 * FHIR version and indexed → D2 searches with P's consent and reads the record → P revokes → D2
 * refused → D2's certificate revoked between steps 4 and 6 → refused → P's device verifies its
 * access list (exactly these three entries) with inclusion and consistency proofs.
 */
class EmrAuthServedIT extends DeployedServer {

    static final String DEPT = "cardiology";
    static final EmrAuthClient API = EmrAuthParties.API;

    @BeforeAll
    static void servers() throws Exception {
        ItPki.startResponder();
    }

    /** One search run of {@code d} for {@code patient}: steps 1–5 on the device, 2, 4 and 6 on the server. */
    static EmrAuthClient.Released search(EmrAuthParties.Medic d, String token, String patient, Runnable beforeRelease)
            throws Exception {
        DoctorEmrSearch s = d.device().startEmrSearch("pc", patient, DEPT);
        HospitalAccessRequest access = s.acceptSearchResponse(API.search(token, s.request()));
        EmrAuthClient.OpenedAccess opened = API.openAccess(token, s.hospitalId(), access);
        EmrRequest req = s.acceptAccessResponse(opened.response());
        beforeRelease.run();
        return API.release(token, s.hospitalId(), opened.sessionId(), req);
    }

    @Test
    void theWholeSchemeOverHttp() throws Exception {
        EmrAuthParties.Patient p = EmrAuthParties.patient();
        EmrAuthParties.Medic d = EmrAuthParties.doctor();
        EmrAuthParties.Medic d2 = EmrAuthParties.doctor();
        String hpc = EmrAuthParties.hospital();
        String dToken = d.token();

        // Consultation through the relay: the server only carries sealed messages.
        PatientConsultation pc = p.device().startConsultation(d.id());
        API.relaySend(p.token(), d.id(), "consultation-request", pc.request().encode());
        ConsultationRequest got = ConsultationRequest.decode(EmrAuthParties.CURVE,
                API.relayTake(dToken, p.id(), "consultation-request").orElseThrow());
        DoctorConsultation dc = d.device().acceptConsultation(got);
        API.relaySend(dToken, p.id(), "consultation-response", dc.response().encode());
        byte[] signal = "ECG: sinus rhythm, 72 bpm".getBytes(StandardCharsets.UTF_8);
        SignalDelivery sd = pc.acceptResponse(ConsultationResponse.decode(EmrAuthParties.CURVE,
                API.relayTake(p.token(), d.id(), "consultation-response").orElseThrow()), signal);
        API.relaySend(p.token(), d.id(), "signal", sd.encode());
        assertArrayEquals(signal, dc.readSignal(SignalDelivery.decode(EmrAuthParties.CURVE,
                API.relayTake(dToken, p.id(), "signal").orElseThrow())));
        assertTrue(API.relayTake(dToken, p.id(), "signal").isEmpty(), "a relayed message is handed out once");

        // Diagnosis to the patient, and stored at the HPC as a FHIR EMR version, indexed at the PC.
        byte[] diagnosis = "Hypertension stage 2; start ACE inhibitor".getBytes(StandardCharsets.UTF_8);
        API.relaySend(dToken, p.id(), "diagnosis", dc.diagnose(diagnosis).encode());
        assertArrayEquals(diagnosis, pc.readDiagnosis(DiagnosisDelivery.decode(EmrAuthParties.CURVE,
                API.relayTake(p.token(), d.id(), "diagnosis").orElseThrow())));
        byte[] record = EmrAuthParties.fhirBundle(p.id(), "Hypertension stage 2").getBytes(StandardCharsets.UTF_8);
        // Writes are authorized as reads: without the patient's consent for D in this department, no version is stored.
        ApiProblem unconsented = assertThrows(ApiProblem.class,
                () -> API.storeVersion(dToken, hpc, d.device().submitEmrVersion(hpc, p.id(), DEPT, record)));
        assertEquals("NOT_AUTHORIZED", unconsented.code());
        API.submitConsent(p.token(), ConsentTransactions.grant(p.ledgerKey(), p.id(), d.id(), DEPT,
                Instant.now().plus(Duration.ofDays(1)).toEpochMilli()));
        JsonObject stored = API.storeVersion(dToken, hpc, d.device().submitEmrVersion(hpc, p.id(), DEPT, record));
        assertEquals(p.id(), stored.getString("patientId"));

        // Before any access: the patient's audit is empty and verifies; its head is pinned.
        AccessAudit.Verified first = AccessAudit.verify(API.accesses(p.token(), 0), p.id(), null, 0, null);
        assertEquals(List.of(), first.accesses());

        // D2 without consent: the search reaches the HPC, the release is refused and recorded.
        String d2Token = d2.token();
        ApiProblem noConsent = assertThrows(ApiProblem.class, () -> search(d2, d2Token, p.id(), () -> { }));
        assertEquals(403, noConsent.status());
        assertEquals("NOT_AUTHORIZED", noConsent.code());

        // The patient grants D2 access with a transaction signed by its own key; D2 reads the record.
        API.submitConsent(p.token(), ConsentTransactions.grant(p.ledgerKey(), p.id(), d2.id(),
                DEPT, Instant.now().plus(Duration.ofDays(1)).toEpochMilli()));
        DoctorEmrSearch s = d2.device().startEmrSearch("pc", p.id(), DEPT);
        HospitalAccessRequest access = s.acceptSearchResponse(API.search(d2Token, s.request()));
        assertEquals(hpc, s.hospitalId());
        EmrAuthClient.OpenedAccess opened = API.openAccess(d2Token, hpc, access);
        EmrRequest req = s.acceptAccessResponse(opened.response());
        EmrAuthClient.Released released = API.release(d2Token, hpc, opened.sessionId(), req);
        assertArrayEquals(record, s.readEmr(released.delivery()));
        // The session was used once: the same step-6 message again is refused without a second release.
        ApiProblem reused = assertThrows(ApiProblem.class, () -> API.release(d2Token, hpc, opened.sessionId(), req));
        assertEquals("SESSION_UNKNOWN", reused.code());

        // The patient revokes: D2's next release is refused.
        API.submitConsent(p.token(), ConsentTransactions.revoke(p.ledgerKey(), p.id(), d2.id(), DEPT));
        ApiProblem revokedConsent = assertThrows(ApiProblem.class, () -> search(d2, d2Token, p.id(), () -> { }));
        assertEquals("NOT_AUTHORIZED", revokedConsent.code());

        // Consent again, then the authority revokes D2's certificate between step 4 and step 6: refused at release.
        API.submitConsent(p.token(), ConsentTransactions.grant(p.ledgerKey(), p.id(), d2.id(),
                DEPT, Instant.now().plus(Duration.ofDays(1)).toEpochMilli()));
        ApiProblem revokedCert = assertThrows(ApiProblem.class, () -> search(d2, d2Token, p.id(), () -> {
            try {
                ItPki.authority().revoke(d2.credentials().certificate().getSerialNumber(), RevocationReason.KEY_COMPROMISE,
                        Instant.now());
                ItPki.publishCrl();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
        assertEquals("CERT_REVOKED", revokedCert.code());
        // ... and at the public cloud for the next search (no access entry: nothing reached the record).
        DoctorEmrSearch again = d2.device().startEmrSearch("pc", p.id(), DEPT);
        ApiProblem atPc = assertThrows(ApiProblem.class, () -> API.search(d2Token, again.request()));
        assertEquals("CERT_REVOKED", atPc.code());

        // The patient's device verifies every access entry and the log's consistency with the head it pinned.
        AccessAudit.Verified audit = AccessAudit.verify(API.accesses(p.token(), first.treeSize()), p.id(), first.anchors(),
                first.treeSize(), first.rootHash());
        List<String> seen = audit.accesses().stream()
                .map(a -> a.holderId() + "|" + a.accessorId() + "|" + a.outcome() + "|" + a.reason()).toList();
        assertEquals(List.of(
                hpc + "|" + d2.id() + "|refused|NOT_AUTHORIZED",
                hpc + "|" + d2.id() + "|released|CONSENTED",
                hpc + "|" + d2.id() + "|refused|NOT_AUTHORIZED",
                hpc + "|" + d2.id() + "|refused|CERT_REVOKED"), seen);
        assertTrue(audit.accesses().get(1).logIndex() == released.logIndex());
    }
}
