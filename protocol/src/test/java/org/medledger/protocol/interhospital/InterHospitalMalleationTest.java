package org.medledger.protocol.interhospital;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.testkit.Twins;

/**
 * INTER-HOSPITAL's signed messages with the malleated signature twin, and the patient's
 * release authorization, which releases once.
 */
class InterHospitalMalleationTest {

    private final InterHospitalWorld w = new InterHospitalWorld();
    private final Patient pat = w.newPatient("PAT-1");
    private final Hospital hpa = w.newHospital("HPA");
    private final Hospital hpb = w.newHospital("HPB");
    private final byte[] emr = "EMR: pneumonia".getBytes(StandardCharsets.UTF_8);

    InterHospitalMalleationTest() throws ProtocolException {
    }

    private static Reason reason(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(ProtocolException.class, e).reason();
    }

    @Test
    void recordDeliveryTwinIsRefusedAndTheRecordIsIndexedOnce() throws ProtocolException {
        w.ledger.apply(pat.consentToTreatment("HPA", Duration.ofDays(30)));
        PatientVisit v = pat.visit("HPA");
        HospitalSession s = hpa.accept(v.hello());
        s.acceptVisit(v.acceptChallenge(s.challenge(), new byte[] {1}, Optional.empty()));
        RecordIssue issue = s.issueRecord("DX-1", emr);
        issue.contractCalls().forEach(w.ledger::apply);
        RecordDelivery d = issue.delivery();
        RecordDelivery twin = new RecordDelivery(d.cH(), Twins.twin(w.curve, d.sigH()), d.ts());
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> v.acceptRecord(twin)));
        assertArrayEquals(emr, v.acceptRecord(d).emr());
        assertEquals(1, pat.medicalIndex().size());
    }

    private void treatAtHpa() throws ProtocolException {
        w.ledger.apply(pat.consentToTreatment("HPA", Duration.ofDays(30)));
        PatientVisit v = pat.visit("HPA");
        HospitalSession s = hpa.accept(v.hello());
        s.acceptVisit(v.acceptChallenge(s.challenge(), new byte[] {1}, Optional.empty()));
        RecordIssue issue = s.issueRecord("DX-1", emr);
        issue.contractCalls().forEach(w.ledger::apply);
        w.hospitalRecords.put("HPA|PAT-1|DX-1", emr);
        v.acceptRecord(issue.delivery());
    }

    private RecordRelease requestWith(ReleaseAuthorization auth) throws ProtocolException {
        HospitalLink link = hpb.connect("HPA");
        HospitalSession atA = hpa.accept(link.hello());
        return atA.acceptTransferRequest(link.requestRecords(atA.challenge(), auth), w.source("HPA"));
    }

    @Test
    void releaseAuthorizationReleasesOnceAndItsTwinIsRefused() throws ProtocolException {
        treatAtHpa();
        ReleaseAuthorization auth = pat.authorize("HPB", "HPA", List.of("DX-1"), Duration.ofHours(1));
        ReleaseAuthorization twin = new ReleaseAuthorization(auth.patientId(), auth.recipientId(), auth.holderId(),
                auth.diagnosisIds(), auth.expiresAt(), Twins.twin(w.curve, auth.signature()));
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> requestWith(twin)));
        RecordRelease first = requestWith(auth);
        assertArrayEquals(auth.digest(), first.log().authorizationDigest());
        // the same authorization in a new session, well before its expiry: refused
        w.clock.advanceMillis(60_000);
        assertEquals(Reason.REPLAY, reason(() -> requestWith(auth)));
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> requestWith(twin)));
        // the ledger's digest is of the signed body, not of the signature bytes
        assertArrayEquals(auth.digest(), twin.digest());
        // a new authorization from the patient releases again
        requestWith(pat.authorize("HPB", "HPA", List.of("DX-1"), Duration.ofHours(1)));
    }

    @Test
    void recordTransferTwinIsRefused() throws ProtocolException {
        treatAtHpa();
        ReleaseAuthorization auth = pat.authorize("HPB", "HPA", List.of("DX-1"), Duration.ofHours(1));
        HospitalLink link = hpb.connect("HPA");
        HospitalSession atA = hpa.accept(link.hello());
        RecordRelease release = atA.acceptTransferRequest(link.requestRecords(atA.challenge(), auth), w.source("HPA"));
        RecordTransfer t = release.transfer();
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> link.acceptTransfer(
                new RecordTransfer(t.cHpa2(), Twins.twin(w.curve, t.sigHpa2()), t.ts()))));
        assertArrayEquals(emr, link.acceptTransfer(t).get(0).emr());
    }

    @Test
    void hospitalBReceivesTheSameRecordsAgainUnderAFreshAuthorization() throws ProtocolException {
        treatAtHpa();
        for (int i = 0; i < 2; i++) {
            // a fresh authorization is fresh signed content: A releases and B accepts each transfer once
            w.clock.advanceMillis(1_000);
            HospitalLink link = hpb.connect("HPA");
            HospitalSession atA = hpa.accept(link.hello());
            ReleaseAuthorization auth = pat.authorize("HPB", "HPA", List.of("DX-1"), Duration.ofHours(1));
            RecordTransfer t = atA.acceptTransferRequest(link.requestRecords(atA.challenge(), auth), w.source("HPA")).transfer();
            assertArrayEquals(emr, link.acceptTransfer(t).get(0).emr());
        }
    }

    @Test
    void aTransferAnsweringAnotherAuthorizationIsRefused() throws ProtocolException {
        treatAtHpa();
        // A's signature binds the authorization it answers: B refuses it in a session that asked under another one
        HospitalLink first = hpb.connect("HPA");
        HospitalSession atA = hpa.accept(first.hello());
        RecordTransfer t = atA.acceptTransferRequest(first.requestRecords(atA.challenge(),
                pat.authorize("HPB", "HPA", List.of("DX-1"), Duration.ofHours(1))), w.source("HPA")).transfer();
        w.clock.advanceMillis(1_000);
        HospitalLink second = hpb.connect("HPA");
        HospitalSession atA2 = hpa.accept(second.hello());
        RecordTransfer t2 = atA2.acceptTransferRequest(second.requestRecords(atA2.challenge(),
                pat.authorize("HPB", "HPA", List.of("DX-1"), Duration.ofHours(2))), w.source("HPA")).transfer();
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> second.acceptTransfer(new RecordTransfer(t2.cHpa2(), t.sigHpa2(), t2.ts()))));
        assertArrayEquals(emr, second.acceptTransfer(t2).get(0).emr());
    }
}
