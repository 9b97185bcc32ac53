package org.medledger.protocol.emrauth;

import java.math.BigInteger;
import java.util.Arrays;

import org.bouncycastle.math.ec.ECPoint;
import org.medledger.protocol.common.ContentId;
import org.medledger.protocol.common.AssociatedData;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.Hpke;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.PartialKey;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SecretScalar;
import org.medledger.protocol.common.SessionAead;
import org.medledger.protocol.common.TrustContext;

/**
 * The patient's side of one consultation run (seed 000, "patient visiting doctor" and
 * "diagnosis" phases). Created by {@link PatientDevice#startConsultation(String)}; holds the
 * ephemeral {@code r5} until the session key is confirmed. Not thread-safe.
 */
public final class PatientConsultation {

    static final String C_P1 = "EMR-AUTH/eq12/C_P1";
    static final String SIG_P1 = "EMR-AUTH/eq13/Sig_P1";
    static final String C_D1 = "EMR-AUTH/eq18/C_D1";
    static final String SIG_D1 = "EMR-AUTH/eq19/Sig_D1";
    static final String C_P2 = "EMR-AUTH/eq23/C_P2";
    static final String C_D5 = "EMR-AUTH/eq49/C_D5";

    private final PatientDevice patient;
    private final Environment env;
    private final CurveProfile curve;
    private final DirectoryEntry doctor;
    private final SecretScalar r5;
    private final ECPoint rP2;
    private final ConsultationRequest request;
    private SecretBytes sek1;
    /** AES-GCM under SEK1, keyed once for the session's messages (C_P2, C_D5). */
    private SessionAead aead;
    private byte[] certD;
    /** Replay-guard scope of this patient's diagnoses (built once, not per message). */
    private final String diagnosisScope;

    private PatientConsultation(PatientDevice patient, DirectoryEntry doctor, SecretScalar r5, ECPoint rP2, ConsultationRequest request) {
        this.diagnosisScope = "EMR-AUTH/P/" + patient.id() + "/DiagnosisDelivery";
        this.patient = patient;
        this.env = patient.env();
        this.curve = env.curve();
        this.doctor = doctor;
        this.r5 = r5;
        this.rP2 = rP2;
        this.request = request;
    }

    static PatientConsultation start(PatientDevice p, DirectoryEntry doctor) {
        Environment env = p.env();
        CurveProfile c = env.curve();
        TrustContext trust = p.requireTrust();
        PartialKey own = p.partialKey();
        long tP1 = env.freshness().now();
        SecretScalar r5 = SecretScalar.random(c, env.random());
        // R_P2 = r5·P  (seed 000, eq. 11)
        ECPoint rP2 = r5.publicPoint();
        // C_P1 = E_PUK_D(ID_P‖B_P‖R_P1‖R_P2‖T_P1)  (seed 000, eq. 12)
        byte[] plain = LabelledEncoder.of(C_P1 + "/plain").utf8(p.id()).secret(p.biometric())
                .point(c, own.publicPoint()).point(c, rP2).int64(tP1).toByteArray();
        byte[] cP1 = Hpke.seal(doctor.kemKey(), C_P1, null, plain, env.random());
        Arrays.fill(plain, (byte) 0);
        // Sig_P1 = S_PRK_P(R_P1‖ID_P‖R_P2‖B_P‖PK‖T_P1), plus the addressee ID_D  (seed 000, eq. 13)
        byte[] sigP1 = Ecdsa.sign(p.keys().signing(), signedP1(c, own.publicPoint(), p.id(), rP2, p.biometric(),
                trust.masterPublicKey().point(), tP1, doctor.partyId()));
        return new PatientConsultation(p, doctor, r5, rP2, new ConsultationRequest(cP1, sigP1, tP1));
    }

    static LabelledEncoder signedP1(CurveProfile c, ECPoint rP1, String idP, ECPoint rP2, SecretBytes bP, ECPoint pk,
                                    long tP1, String idD) {
        return LabelledEncoder.of(SIG_P1).point(c, rP1).utf8(idP).point(c, rP2).secret(bP).point(c, pk).int64(tP1).utf8(idD);
    }

    static LabelledEncoder signedD1(CurveProfile c, ECPoint rD2, String idD, long tD1, byte[] certD, byte[] conf1,
                                    ECPoint pk, String idP, ECPoint rP2) {
        return LabelledEncoder.of(SIG_D1).point(c, rD2).utf8(idD).int64(tD1).bytes(certD).bytes(conf1).point(c, pk)
                .utf8(idP).point(c, rP2);
    }

    /** {@code (C_P1, Sig_P1, T_P1)} to send to the doctor. */
    public ConsultationRequest request() {
        return request;
    }

    public String doctorId() {
        return doctor.partyId();
    }

    /**
     * Consultation step 3 (seed 000, eq. 20–23): checks the doctor's answer and returns
     * {@code (C_P2, T_P2)} carrying the biomedical signal {@code M_SD} under {@code SEK1}.
     *
     * @throws ProtocolException {@link Reason#STALE_TIMESTAMP}, {@link Reason#REPLAY},
     *         {@link Reason#DECRYPTION_FAILED}, a certificate reason, {@link Reason#BAD_SIGNATURE},
     *         {@link Reason#BAD_POINT} or {@link Reason#KEY_CONFIRMATION_FAILED}
     */
    public SignalDelivery acceptResponse(ConsultationResponse response, byte[] mSD) throws ProtocolException {
        if (sek1 != null) {
            throw new IllegalStateException("Consultation already established.");
        }
        TrustContext trust = patient.requireTrust();
        String idP = patient.id();
        // T'_D1 − T_D1 ≤ ΔT  (seed 000, step 2 of P)
        env.freshness().requireFresh(response.tD1());
        // (ID_D‖Cert_D‖R_D1‖R_D2‖SEK1‖T_D1) = D_PRK_P(C_D1)  (seed 000, eq. 20)
        byte[] plain = Hpke.open(patient.keys().kem(), C_D1, null, response.cD1());
        LabelledDecoder d = LabelledDecoder.open(plain, C_D1 + "/plain");
        String idD = d.utf8();
        byte[] cert = d.bytes();
        ECPoint rD1 = d.point(curve);
        ECPoint rD2 = d.point(curve);
        byte[] conf1 = d.bytes(org.medledger.protocol.common.CheckValues.LENGTH);
        long tD1 = d.int64();
        d.finish();
        if (!idD.equals(doctor.partyId())) {
            throw new ProtocolException(Reason.CERT_IDENTITY_MISMATCH, "answer from another doctor");
        }
        if (tD1 != response.tD1()) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "inner and outer T_D1 differ");
        }
        // Cert_D is legal  (seed 000, step 2 of P)
        trust.certificates().requireLegal(cert, idD);
        EmrAuthChecks.requireDirectoryPoint(doctor, rD1);
        // V_PUK_D(Sig_D1)  (seed 000, eq. 21; erratum 2: the doctor's key)
        ContentId signedD1 = Ecdsa.verify(doctor.signingKey(), signedD1(curve, rD2, idD, tD1, cert, conf1, trust.masterPublicKey().point(), idP, rP2),
                response.sigD1());
        // SEK1' = h(S_P·R_D2 + r5·(R_D1 + H(ID_D‖Cert_D‖R_D1)·PK) ‖ r5·R_D2)  (seed 000, eq. 22; erratum 1)
        BigInteger hD = EmrAuthHashes.doctor(curve, idD, cert, rD1);
        ECPoint xD = trust.masterPublicKey().implicitKey(rD1, hD);
        ECPoint k1 = EmrAuthKeys.sharedK1(curve, patient.partialKey().secret(), rD2, r5, xD);
        ECPoint k2 = r5.multiply(rD2);
        SecretBytes key = EmrAuthKeys.sessionKey(EmrAuthKeys.SEK1, curve, k1, k2, idP, idD, rP2, rD2);
        // SEK1' ?= SEK1, as a key-confirmation tag  (seed 000, eq. 22)
        EmrAuthKeys.requireConfirmation(EmrAuthKeys.SEK1_CONFIRM, curve, key, idP, idD, rP2, rD2, conf1);
        env.freshness().requireFirstSeen("EMR-AUTH/P/" + idP + "/ConsultationResponse", signedD1, response.tD1());
        this.sek1 = key;
        this.aead = new SessionAead(key);
        this.certD = cert;
        r5.destroy();
        // C_P2 = E_SEK1(M_SD‖ID_P‖T_P2)  (seed 000, eq. 23)
        long tP2 = env.freshness().now();
        byte[] inner = LabelledEncoder.of(C_P2 + "/plain").bytes(mSD).utf8(idP).int64(tP2).toByteArray();
        byte[] cP2 = aead.seal(new AssociatedData(C_P2, idP, idD, tP2), inner, env.random());
        Arrays.fill(inner, (byte) 0);
        return new SignalDelivery(cP2, tP2);
    }

    /**
     * Diagnosis (seed 000, eq. 50): checks {@code T_D5}, decrypts {@code C_D5} with
     * {@code SEK1} and checks {@code Cert_D}; returns {@code M_DINF}.
     */
    public byte[] readDiagnosis(DiagnosisDelivery delivery) throws ProtocolException {
        requireKey();
        String idP = patient.id();
        String idD = doctor.partyId();
        env.freshness().requireFresh(delivery.tD5());
        // (M_DINF‖Cert_D‖T_D5) = D_SEK1(C_D5)  (seed 000, eq. 50)
        byte[] cD5 = delivery.cD5View();
        byte[] plain = aead.open(new AssociatedData(C_D5, idD, idP, delivery.tD5()), cD5);
        LabelledDecoder d = LabelledDecoder.open(plain, C_D5 + "/plain");
        byte[] mDinf = d.bytes();
        byte[] cert = d.bytes();
        long t = d.int64();
        d.finish();
        if (t != delivery.tD5()) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "inner and outer T_D5 differ");
        }
        if (!Arrays.equals(cert, certD)) {
            throw new ProtocolException(Reason.CERT_IDENTITY_MISMATCH, "diagnosis under another certificate");
        }
        patient.requireTrust().certificates().requireLegal(cert, idD);
        // C_D5 authenticates every field of the message (T_D5 is in its associated data)
        env.freshness().requireFirstSeenSealed(diagnosisScope, idD, cD5, delivery.tD5());
        return mDinf;
    }

    /** {@code SEK1} once established (tests, and storage of the session by the client). */
    public SecretBytes sessionKey() {
        return requireKey();
    }

    public boolean isEstablished() {
        return sek1 != null;
    }

    private SecretBytes requireKey() {
        if (sek1 == null) {
            throw new IllegalStateException("Consultation not established.");
        }
        return sek1;
    }

    @Override
    public String toString() {
        return "PatientConsultation[" + patient.id() + " -> " + doctor.partyId() + ", established=" + isEstablished() + "]";
    }
}
