package org.medledger.protocol.emrauth;

import java.util.Arrays;

import org.medledger.protocol.common.AssociatedData;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SessionAead;

/**
 * The doctor's side of one consultation run, created by
 * {@link Doctor#acceptConsultation(ConsultationRequest)} with {@code SEK1} already derived.
 */
public final class DoctorConsultation {

    private final Doctor doctor;
    private final Environment env;
    private final String idP;
    private final SecretBytes sek1;
    /** AES-GCM under SEK1, keyed once for the session's messages (C_P2, C_D5). */
    private final SessionAead aead;
    private final ConsultationResponse response;
    /** Replay-guard scope of this doctor's signal deliveries (built once, not per message). */
    private final String signalScope;

    DoctorConsultation(Doctor doctor, String idP, SecretBytes sek1, ConsultationResponse response) {
        this.doctor = doctor;
        this.env = doctor.env();
        this.idP = idP;
        this.sek1 = sek1;
        this.aead = new SessionAead(sek1);
        this.signalScope = "EMR-AUTH/D/" + doctor.id() + "/SignalDelivery";
        this.response = response;
    }

    /** {@code (C_D1, Sig_D1, T_D1)} to send to the patient (null in a resumed session). */
    public ConsultationResponse response() {
        return response;
    }

    /** The patient's identity, learned from {@code C_P1}. */
    public String patientId() {
        return idP;
    }

    /** {@code SEK1} (tests; session persistence). */
    public SecretBytes sessionKey() {
        return sek1;
    }

    /**
     * Consultation step 4 (seed 000, eq. 24): {@code M_SD = D_SEK1(C_P2)}.
     */
    public byte[] readSignal(SignalDelivery delivery) throws ProtocolException {
        env.freshness().requireFresh(delivery.tP2());
        // (M_SD‖ID_P‖T_P2) = D_SEK1(C_P2)  (seed 000, eq. 24)
        byte[] cP2 = delivery.cP2View();
        byte[] plain = aead.open(new AssociatedData(PatientConsultation.C_P2, idP, doctor.id(), delivery.tP2()), cP2);
        LabelledDecoder d = LabelledDecoder.open(plain, PatientConsultation.C_P2 + "/plain");
        byte[] mSD = d.bytes();
        String id = d.utf8();
        long t = d.int64();
        d.finish();
        if (!id.equals(idP) || t != delivery.tP2()) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "C_P2 fields do not match the session");
        }
        // C_P2 authenticates every field of the message (T_P2 is in its associated data)
        env.freshness().requireFirstSeenSealed(signalScope, idP, cP2, delivery.tP2());
        return mSD;
    }

    /** Diagnosis (seed 000, eq. 49): {@code C_D5 = E_SEK1(M_DINF‖Cert_D‖T_D5)}. */
    public DiagnosisDelivery diagnose(byte[] mDinf) {
        long tD5 = env.freshness().now();
        // C_D5 = E_SEK1(M_DINF‖Cert_D‖T_D5)  (seed 000, eq. 49)
        byte[] certD = doctor.certRef();
        byte[] inner = LabelledEncoder.of(PatientConsultation.C_D5 + "/plain",
                LabelledEncoder.encodedLength(PatientConsultation.C_D5 + "/plain", mDinf.length, certD.length, 8))
                .bytes(mDinf).bytes(certD).int64(tD5).toByteArray();
        byte[] c = aead.seal(new AssociatedData(PatientConsultation.C_D5, doctor.id(), idP, tD5), inner, env.random());
        Arrays.fill(inner, (byte) 0);
        return new DiagnosisDelivery(c, tD5);
    }

    static final String STATE = "EMR-AUTH/DoctorConsultation/state";

    /**
     * The session between the doctor's steps (signal, diagnosis) sealed by the doctor's own
     * session key: {@code ID_P} and {@code SEK1}; it opens once (common profile C4).
     */
    public byte[] export(org.medledger.protocol.common.SessionSealer sealer, String sessionId) {
        byte[] state = LabelledEncoder.of(STATE).utf8(idP).secret(sek1).toByteArray();
        try {
            return sealer.seal(STATE, sessionId, state);
        } finally {
            Arrays.fill(state, (byte) 0);
        }
    }

    static DoctorConsultation resume(Doctor doctor, org.medledger.protocol.common.SessionSealer sealer, String sessionId,
                                     byte[] sealed) throws ProtocolException {
        byte[] state = sealer.open(STATE, sessionId, sealed);
        try {
            LabelledDecoder d = LabelledDecoder.open(state, STATE);
            String idP = d.utf8();
            SecretBytes key = d.secretBytes();
            d.finish();
            return new DoctorConsultation(doctor, idP, key, null);
        } finally {
            Arrays.fill(state, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "DoctorConsultation[" + doctor.id() + " <- patient]";
    }
}
