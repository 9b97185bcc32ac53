package org.medledger.protocol.interhospital;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * The receiver checks of INTER-HOSPITAL that other tests do not attack: stale and future
 * timestamps of the challenge, the confirmation, the record delivery and the transfer; outer
 * timestamps that differ from the authenticated ones; replays.
 */
class InterHospitalReceiverChecksTest {

    private static final long WINDOW = 30_000;

    private final InterHospitalWorld w = new InterHospitalWorld();
    private final Patient pat = w.newPatient("PAT-1");
    private final Hospital hpa = w.newHospital("HPA");
    private final Hospital hpb = w.newHospital("HPB");
    private final byte[] symptoms = "fever".getBytes(StandardCharsets.UTF_8);

    InterHospitalReceiverChecksTest() throws ProtocolException {
    }

    private static Reason reason(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(ProtocolException.class, e).reason();
    }

    private void staleAndFuture(org.junit.jupiter.api.function.Executable deliver) {
        w.clock.advanceMillis(WINDOW + 1);
        assertEquals(Reason.STALE_TIMESTAMP, reason(deliver));
        w.clock.advanceMillis(-2 * (WINDOW + 1));
        assertEquals(Reason.STALE_TIMESTAMP, reason(deliver));
        w.clock.advanceMillis(WINDOW + 1);
    }

    @Test
    void handshakeMessagesOutsideTheWindowOrShiftedAreRefused() throws ProtocolException {
        w.ledger.apply(pat.consentToTreatment("HPA", Duration.ofDays(30)));
        PatientVisit v = pat.visit("HPA");
        HandshakeHello hello = v.hello();
        // T outside differs from T inside the HPKE ciphertext
        assertEquals(Reason.MALFORMED_MESSAGE, reason(() -> hpa.accept(new HandshakeHello(hello.cHello(), hello.ts() + 1))));
        HospitalSession s = hpa.accept(hello);
        HandshakeChallenge ch = s.challenge();
        staleAndFuture(() -> v.acceptChallenge(ch, symptoms, Optional.empty()));
        // a delayed challenge with a refreshed timestamp: CHK binds the timestamp
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, reason(() -> v.acceptChallenge(
                new HandshakeChallenge(ch.responderId(), ch.rH(), ch.tH(), ch.chk(), ch.ts() + 1), symptoms, Optional.empty())));
        HandshakeConfirm cf = v.acceptChallenge(ch, symptoms, Optional.empty());
        staleAndFuture(() -> s.acceptVisit(cf));
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> s.acceptVisit(new HandshakeConfirm(cf.c(), cf.chk(), cf.ts() + 1))));
        s.acceptVisit(cf);

        RecordDelivery d = s.issueRecord("DX-1", new byte[] {1}).delivery();
        staleAndFuture(() -> v.acceptRecord(d));
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> v.acceptRecord(new RecordDelivery(d.cH(), d.sigH(), d.ts() + 1))));
        v.acceptRecord(d);
    }

    @Test
    void transferRequestAndTransferChecks() throws ProtocolException {
        w.ledger.apply(pat.consentToTreatment("HPA", Duration.ofDays(30)));
        PatientVisit v = pat.visit("HPA");
        HospitalSession s = hpa.accept(v.hello());
        s.acceptVisit(v.acceptChallenge(s.challenge(), symptoms, Optional.empty()));
        RecordIssue issue = s.issueRecord("DX-1", new byte[] {1});
        issue.contractCalls().forEach(w.ledger::apply);
        w.hospitalRecords.put("HPA|PAT-1|DX-1", new byte[] {1});
        v.acceptRecord(issue.delivery());
        ReleaseAuthorization auth = pat.authorize("HPB", "HPA", List.of("DX-1"), Duration.ofHours(1));

        HospitalLink link = hpb.connect("HPA");
        HospitalSession atA = hpa.accept(link.hello());
        HandshakeConfirm request = link.requestRecords(atA.challenge(), auth);
        staleAndFuture(() -> atA.acceptTransferRequest(request, w.source("HPA")));
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> atA.acceptTransferRequest(
                new HandshakeConfirm(request.c(), request.chk(), request.ts() + 1), w.source("HPA"))));
        RecordTransfer t = atA.acceptTransferRequest(request, w.source("HPA")).transfer();
        staleAndFuture(() -> link.acceptTransfer(t));
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> link.acceptTransfer(new RecordTransfer(t.cHpa2(), t.sigHpa2(), t.ts() + 1))));
        link.acceptTransfer(t);
    }
}
