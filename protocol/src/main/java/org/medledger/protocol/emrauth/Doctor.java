package org.medledger.protocol.emrauth;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

import org.bouncycastle.math.ec.ECPoint;
import org.medledger.protocol.common.ContentId;
import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.Hpke;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.PartialKey;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SecretScalar;
import org.medledger.protocol.common.SigningKey;
import org.medledger.protocol.common.TrustContext;

/**
 * The doctor D of EMR-AUTH: {@code ID_D}, {@code Cert_D}, its own signing and KEM keys and
 * {@code (R_D1, S_D)}. Answers consultations, searches EMRs and sends diagnoses.
 */
public final class Doctor {

    private final Environment env;
    private final CurveProfile curve;
    private final MasterPublicKey pk;
    private final TrustContext trust;
    private final PartyKeys keys;
    private final String idD;
    private final byte[] certD;
    private PartialKey partialKey;

    /** A doctor for registration only: generates its own key pairs. */
    public Doctor(Environment env, MasterPublicKey pk, String idD, byte[] certD) {
        this(env, pk, null, PartyKeys.generate(Objects.requireNonNull(env, "Environment is required.").curve(), env.random()), idD, certD);
    }

    /** A full doctor: trusts {@code trust}, owns {@code keys}. */
    public Doctor(Environment env, TrustContext trust, PartyKeys keys, String idD, byte[] certD) {
        this(env, Objects.requireNonNull(trust, "Trust context is required.").masterPublicKey(), trust, keys, idD, certD);
    }

    private Doctor(Environment env, MasterPublicKey pk, TrustContext trust, PartyKeys keys, String idD, byte[] certD) {
        this.env = Objects.requireNonNull(env, "Environment is required.");
        this.pk = Objects.requireNonNull(pk, "PK is required.");
        this.trust = trust;
        this.keys = Objects.requireNonNull(keys, "Party keys are required.");
        this.idD = Objects.requireNonNull(idD, "ID_D is required.");
        this.certD = Objects.requireNonNull(certD, "Cert_D is required.").clone();
        this.curve = env.curve();
    }

    public String id() {
        return idD;
    }

    public byte[] certificate() {
        return certD.clone();
    }

    public PartyKeys keys() {
        return keys;
    }

    /** Registration step 1: {@code (ID_D, Cert_D)}. */
    public DoctorRegistration registrationRequest() {
        return new DoctorRegistration(idD, certD);
    }

    /**
     * Registration step 3 (seed 000, eq. 10, erratum 1):
     * {@code S_D·P ?= R_D1 + H(ID_D‖Cert_D‖R_D1)·PK}.
     *
     * @throws ProtocolException {@link Reason#BAD_PARTIAL_KEY} if the check fails
     */
    public void acceptRegistration(RegistrationResponse response) throws ProtocolException {
        Objects.requireNonNull(response, "Response is required.");
        if (!response.s().curve().equals(curve)) {
            throw new ProtocolException(Reason.BAD_PARAMETER, "response on another curve");
        }
        // S_D·P ?= R_D1 + H(ID_D‖Cert_D‖R_D1)·PK  (seed 000, eq. 10)
        PartialKey.verify(pk, response.r(), response.s(),
                EmrAuthHashes.doctor(curve, idD, certD, response.r()));
        this.partialKey = new PartialKey(response.r(), response.s());
    }

    public boolean isRegistered() {
        return partialKey != null;
    }

    public PartialKey partialKey() {
        if (partialKey == null) {
            throw new IllegalStateException("Doctor is not registered.");
        }
        return partialKey;
    }

    /**
     * Consultation step 2 (seed 000, eq. 14–19): checks {@code (C_P1, Sig_P1, T_P1)} and
     * answers with {@code (C_D1, Sig_D1, T_D1)}.
     *
     * @throws ProtocolException {@link Reason#STALE_TIMESTAMP}, {@link Reason#DECRYPTION_FAILED},
     *         {@link Reason#BAD_POINT}, {@link Reason#UNKNOWN_PARTY}, {@link Reason#BAD_SIGNATURE},
     *         {@link Reason#BAD_PARTIAL_KEY} or {@link Reason#REPLAY}
     */
    public DoctorConsultation acceptConsultation(ConsultationRequest request) throws ProtocolException {
        Objects.requireNonNull(request, "Request is required.");
        TrustContext t = requireTrust();
        PartialKey own = partialKey();
        // T'_P1 − T_P1 ≤ ΔT
        env.freshness().requireFresh(request.tP1());
        // (ID_P‖B_P‖R_P1‖R_P2‖T_P1) = D_PRK_D(C_P1)  (seed 000, eq. 14)
        byte[] plain = Hpke.open(keys.kem(), PatientConsultation.C_P1, null, request.cP1());
        LabelledDecoder d = LabelledDecoder.open(plain, PatientConsultation.C_P1 + "/plain");
        String idP = d.utf8();
        SecretBytes bP = d.secretBytes();
        ECPoint rP1 = d.point(curve);
        ECPoint rP2 = d.point(curve);
        long tP1 = d.int64();
        d.finish();
        Arrays.fill(plain, (byte) 0);
        if (tP1 != request.tP1()) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "inner and outer T_P1 differ");
        }
        long now = env.freshness().now();
        DirectoryEntry patient = t.resolve(EmrAuthRoles.SCHEME, EmrAuthRoles.PATIENT, idP, now);
        EmrAuthChecks.requireDirectoryPoint(patient, rP1);
        // V_PUK_P(Sig_P1)  (seed 000, eq. 15)
        ContentId signedP1 = Ecdsa.verify(patient.signingKey(),
                PatientConsultation.signedP1(curve, rP1, idP, rP2, bP, pk.point(), tP1, idD), request.sigP1());
        env.freshness().requireFirstSeen("EMR-AUTH/D/" + idD + "/ConsultationRequest", signedP1, tP1);

        SecretScalar r6 = SecretScalar.random(curve, env.random());
        try {
            // R_D2 = r6·P  (seed 000, eq. 16)
            ECPoint rD2 = r6.publicPoint();
            // SEK1 = h(S_D·R_P2 + r6·(R_P1 + H(ID_P‖B_P‖R_P1)·PK) ‖ r6·R_P2)  (seed 000, eq. 17)
            BigInteger hP = EmrAuthHashes.patient(curve, idP, bP, rP1);
            ECPoint xP = pk.implicitKey(rP1, hP);
            ECPoint k1 = EmrAuthKeys.sharedK1(curve, own.secret(), rP2, r6, xP);
            ECPoint k2 = r6.multiply(rP2);
            SecretBytes sek1 = EmrAuthKeys.sessionKey(EmrAuthKeys.SEK1, curve, k1, k2, idP, idD, rP2, rD2);
            byte[] conf1 = EmrAuthKeys.confirmation(EmrAuthKeys.SEK1_CONFIRM, curve, sek1, idP, idD, rP2, rD2);
            long tD1 = env.freshness().now();
            // C_D1 = E_PUK_P(ID_D‖Cert_D‖R_D1‖R_D2‖SEK1‖T_D1), SEK1 as a confirmation tag  (seed 000, eq. 18)
            byte[] inner = LabelledEncoder.of(PatientConsultation.C_D1 + "/plain").utf8(idD).bytes(certD)
                    .point(curve, own.publicPoint()).point(curve, rD2).bytes(conf1).int64(tD1).toByteArray();
            byte[] cD1 = Hpke.seal(patient.kemKey(), PatientConsultation.C_D1, null, inner, env.random());
            // Sig_D1 = S_PRK_D(R_D2‖ID_D‖T_D1‖Cert_D‖SEK1‖PK), plus ID_P and R_P2  (seed 000, eq. 19)
            byte[] sigD1 = Ecdsa.sign(keys.signing(),
                    PatientConsultation.signedD1(curve, rD2, idD, tD1, certD, conf1, pk.point(), idP, rP2));
            return new DoctorConsultation(this, idP, sek1, new ConsultationResponse(cD1, sigD1, tD1));
        } finally {
            r6.destroy();
        }
    }

    /**
     * EMR search step 1 (seed 000, eq. 25–26) towards the public cloud {@code idPc}.
     */
    public DoctorEmrSearch startEmrSearch(String idPc, String idP, String idDE) throws ProtocolException {
        TrustContext t = requireTrust();
        DirectoryEntry pc = t.resolve(EmrAuthRoles.SCHEME, EmrAuthRoles.PUBLIC_CLOUD, idPc, env.freshness().now());
        return DoctorEmrSearch.start(this, pc, idP, idDE);
    }

    /**
     * After a diagnosis: the new EMR version for hospital {@code idHpc}, encrypted to it and
     * signed by the doctor (PROTOCOLS.md §1, diagnosis).
     */
    public EmrVersionSubmission submitEmrVersion(String idHpc, String idP, String idDE, byte[] content) throws ProtocolException {
        TrustContext t = requireTrust();
        DirectoryEntry hpc = t.resolve(EmrAuthRoles.SCHEME, EmrAuthRoles.HOSPITAL_PRIVATE_CLOUD, idHpc, env.freshness().now());
        long tV = env.freshness().now();
        // Cert_D travels with the version, as with the diagnosis to the patient (eq. 49), so the HPC can check it.
        LabelledEncoder signed = HospitalPrivateCloud.signedVersion(idP, idD, idDE, content, tV, idHpc);
        byte[] sigV = Ecdsa.sign(keys.signing(), signed);
        // Sig_VS under S_D binds Cert_D to this doctor's registration at the HPC, as Sig_D2 does at the PC (emr-auth.md).
        SigningKey partial = SigningKey.of(SecretScalar.of(curve, partialKey().secret().reveal()));
        byte[] sigVs;
        try {
            sigVs = Ecdsa.signRaw(partial, signed.toByteArray());
        } finally {
            partial.destroy();
        }
        byte[] inner = LabelledEncoder.of(HospitalPrivateCloud.C_V + "/plain").utf8(idP).utf8(idD).utf8(idDE)
                .bytes(content).int64(tV).bytes(certD).bytes(sigVs).toByteArray();
        byte[] cV = Hpke.seal(hpc.kemKey(), HospitalPrivateCloud.C_V, null, inner, env.random());
        return new EmrVersionSubmission(cV, sigV, tV);
    }

    TrustContext requireTrust() {
        if (trust == null) {
            throw new IllegalStateException("This doctor was built for registration only.");
        }
        return trust;
    }

    /** A consultation this doctor exported between two steps ({@link DoctorConsultation#export}), opened once. */
    public DoctorConsultation resumeConsultation(org.medledger.protocol.common.SessionSealer sealer, String sessionId,
                                                 byte[] sealed) throws ProtocolException {
        return DoctorConsultation.resume(this, sealer, sessionId, sealed);
    }

    Environment env() {
        return env;
    }

    byte[] certRef() {
        return certD;
    }

    static int confLength() {
        return CheckValues.LENGTH;
    }

    @Override
    public String toString() {
        return "Doctor[" + idD + ", registered=" + isRegistered() + "]";
    }
}
