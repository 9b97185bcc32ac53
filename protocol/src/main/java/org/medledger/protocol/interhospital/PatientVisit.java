package org.medledger.protocol.interhospital;

import java.util.Arrays;
import java.util.Optional;

import org.medledger.protocol.common.ContentId;
import org.medledger.protocol.common.Aead;
import org.medledger.protocol.common.AssociatedData;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;

/** The patient's side of one visit to a hospital (seed 002, §4.1 steps 1, 3, 5; §4.2 PAT↔HPB). */
public final class PatientVisit {

    private final Patient patient;
    private final Handshake.Initiator hs;
    private boolean recordReceived;

    PatientVisit(Patient patient, Handshake.Initiator hs) {
        this.patient = patient;
        this.hs = hs;
    }

    /** Step 1: {@code (ID_PAT, R_PAT, T_PAT)}, encrypted to the hospital. */
    public HandshakeHello hello() {
        return hs.hello();
    }

    /**
     * Step 3 (seed 002, eq. 21–27): derives and confirms {@code SEK}, checks {@code hachk},
     * and sends the symptoms, the medical index and, for a referral, the authorization.
     */
    public HandshakeConfirm acceptChallenge(HandshakeChallenge challenge, byte[] symptoms, Optional<ReleaseAuthorization> authorization)
            throws ProtocolException {
        hs.onChallenge(challenge);
        // c_PAT = E_SEK_AP(message)  (seed 002, eq. 26; eq. 46 with the index and authorization)
        VisitRequest msg = new VisitRequest(patient.id(), symptoms, patient.medicalIndex(), authorization);
        return hs.confirm(msg.encode());
    }

    /**
     * Step 5 (seed 002, eq. 32–33, 72–73): decrypts {@code c_H}, verifies {@code Sig_H} and
     * {@code Cert_H}, keeps the EMR and adds it to the medical index.
     */
    public ReceivedRecord acceptRecord(RecordDelivery delivery) throws ProtocolException {
        if (recordReceived) {
            throw new IllegalStateException("Record already received in this visit.");
        }
        var env = patient.party().env();
        String idH = hs.responderId();
        env.freshness().requireFresh(delivery.ts());
        // (EMR, Cert_HPA) = D_SEK_AP(c_HPA)  (seed 002, eq. 32)
        byte[] plain = Aead.open(hs.key(), new AssociatedData(HospitalSession.C_H, idH, patient.id(), delivery.ts()), delivery.cH());
        LabelledDecoder d = LabelledDecoder.open(plain, HospitalSession.C_H + "/plain");
        String diagnosisId = d.utf8();
        byte[] emr = d.bytes();
        byte[] cert = d.bytes();
        d.finish();
        // Cert_HPA is the hospital's certified directory entry
        if (!Arrays.equals(cert, hs.responder().encode())) {
            throw new ProtocolException(Reason.CERT_INVALID, "Cert_H is not the hospital's certified entry");
        }
        // (EMR, Cert_HPA) ?= V_PK_HPA(Sig_HPA)  (seed 002, eq. 33)
        ContentId signedRecord = Ecdsa.verify(hs.responder().signingKey(), HospitalSession.signedRecord(diagnosisId, emr, cert, patient.id()), delivery.sigH());
        env.freshness().requireFirstSeen("INTER-HOSPITAL/" + patient.id() + "/RecordDelivery", signedRecord, delivery.ts());
        recordReceived = true;
        patient.remember(new MedicalIndexEntry(idH, diagnosisId));
        return new ReceivedRecord(idH, diagnosisId, emr);
    }

    /** {@code SEK_AP} / {@code SEK_BP} once established. */
    public SecretBytes sessionKey() {
        return hs.key();
    }

    public String hospitalId() {
        return hs.responderId();
    }
}
