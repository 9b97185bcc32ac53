package org.medledger.protocol.emrauth;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

import org.bouncycastle.math.ec.ECPoint;
import org.medledger.protocol.common.ContentId;
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
import org.medledger.protocol.common.TrustContext;
import org.medledger.protocol.common.VerificationKey;

/** The hospital private cloud HPC of EMR-AUTH: holds the EMRs and {@code (R_HPC1, S_HPC)}. */
public final class HospitalPrivateCloud {

    static final String C_V = "EMR-AUTH/diagnosis/C_V";
    static final String SIG_V = "EMR-AUTH/diagnosis/Sig_V";
    static final String C_IX = "EMR-AUTH/index/C_IX";
    static final String SIG_IX = "EMR-AUTH/index/Sig_IX";

    private final Environment env;
    private final CurveProfile curve;
    private final MasterPublicKey pk;
    private final TrustContext trust;
    private final PartyKeys keys;
    private final String idHpc;
    private PartialKey partialKey;

    /** An HPC for registration only: generates its own key pairs. */
    public HospitalPrivateCloud(Environment env, MasterPublicKey pk, String idHpc) {
        this(env, pk, null, PartyKeys.generate(Objects.requireNonNull(env, "Environment is required.").curve(), env.random()), idHpc);
    }

    /** A full HPC: trusts {@code trust}, owns {@code keys}. */
    public HospitalPrivateCloud(Environment env, TrustContext trust, PartyKeys keys, String idHpc) {
        this(env, Objects.requireNonNull(trust, "Trust context is required.").masterPublicKey(), trust, keys, idHpc);
    }

    private HospitalPrivateCloud(Environment env, MasterPublicKey pk, TrustContext trust, PartyKeys keys, String idHpc) {
        this.env = Objects.requireNonNull(env, "Environment is required.");
        this.pk = Objects.requireNonNull(pk, "PK is required.");
        this.trust = trust;
        this.keys = Objects.requireNonNull(keys, "Party keys are required.");
        this.idHpc = Objects.requireNonNull(idHpc, "ID_HPC is required.");
        this.curve = env.curve();
    }

    public String id() {
        return idHpc;
    }

    public PartyKeys keys() {
        return keys;
    }

    /** Registration step 1: {@code ID_HPC}. */
    public HospitalCloudRegistration registrationRequest() {
        return new HospitalCloudRegistration(idHpc);
    }

    /**
     * Registration step 3 (seed 000, eq. 7): {@code S_HPC·P ?= R_HPC1 + h(ID_HPC‖R_HPC1)·PK}.
     *
     * @throws ProtocolException {@link Reason#BAD_PARTIAL_KEY} if the check fails
     */
    public void acceptRegistration(RegistrationResponse response) throws ProtocolException {
        Objects.requireNonNull(response, "Response is required.");
        if (!response.s().curve().equals(curve)) {
            throw new ProtocolException(Reason.BAD_PARAMETER, "response on another curve");
        }
        // S_HPC·P ?= R_HPC1 + h(ID_HPC‖R_HPC1)·PK  (seed 000, eq. 7)
        PartialKey.verify(pk, response.r(), response.s(),
                EmrAuthHashes.hospitalCloud(curve, idHpc, response.r()));
        this.partialKey = new PartialKey(response.r(), response.s());
    }

    public boolean isRegistered() {
        return partialKey != null;
    }

    public PartialKey partialKey() {
        if (partialKey == null) {
            throw new IllegalStateException("HPC is not registered.");
        }
        return partialKey;
    }

    /**
     * EMR search step 4 (seed 000, eq. 36–41): checks the doctor's request, derives
     * {@code SEK2} and answers with {@code (C_HPC1, Sig_HPC1, T_HPC1)}.
     */
    public HospitalAccessSession acceptAccessRequest(HospitalAccessRequest request) throws ProtocolException {
        Objects.requireNonNull(request, "Request is required.");
        TrustContext t = requireTrust();
        PartialKey own = partialKey();
        env.freshness().requireFresh(request.tD3());
        // (Cert_D‖T_D3‖ID_D‖R_D3‖R_D1‖ID_P‖ID_DE) = D_PRK_HPC(C_D3)  (seed 000, eq. 36)
        byte[] plain = Hpke.open(keys.kem(), DoctorEmrSearch.C_D3, null, request.cD3());
        LabelledDecoder d = LabelledDecoder.open(plain, DoctorEmrSearch.C_D3 + "/plain");
        byte[] certD = d.bytes();
        long tD3 = d.int64();
        String idD = d.utf8();
        ECPoint rD3 = d.point(curve);
        ECPoint rD1 = d.point(curve);
        String idP = d.utf8();
        String idDE = d.utf8();
        d.finish();
        if (tD3 != request.tD3()) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "inner and outer T_D3 differ");
        }
        // Cert_D is legal  (seed 000, step 3 of HPC)
        t.certificates().requireLegal(certD, idD);
        DirectoryEntry doctor = t.resolve(EmrAuthRoles.SCHEME, EmrAuthRoles.DOCTOR, idD, env.freshness().now());
        EmrAuthChecks.requireDirectoryPoint(doctor, rD1);
        // V_PUK_D(Sig_D3)  (seed 000, eq. 37)
        ContentId signedD3 = Ecdsa.verify(doctor.signingKey(), DoctorEmrSearch.signedD3(curve, pk.point(), tD3, idP, rD3, rD1, idHpc, idDE), request.sigD3());
        env.freshness().requireFirstSeen("EMR-AUTH/HPC/" + idHpc + "/HospitalAccessRequest", signedD3, tD3);

        SecretScalar r8 = SecretScalar.random(curve, env.random());
        try {
            // R_HPC2 = r8·P  (seed 000, eq. 38)
            ECPoint rHpc2 = r8.publicPoint();
            // SEK2 = h(S_HPC·R_D3 + r8·(R_D1 + H(ID_D‖Cert_D‖R_D1)·PK) ‖ r8·R_D3)  (seed 000, eq. 39; erratum 1)
            BigInteger hD = EmrAuthHashes.doctor(curve, idD, certD, rD1);
            ECPoint xD = pk.implicitKey(rD1, hD);
            ECPoint k1 = EmrAuthKeys.sharedK1(curve, own.secret(), rD3, r8, xD);
            ECPoint k2 = r8.multiply(rD3);
            SecretBytes sek2 = EmrAuthKeys.sessionKey(EmrAuthKeys.SEK2, curve, k1, k2, idD, idHpc, rD3, rHpc2);
            byte[] conf2 = EmrAuthKeys.confirmation(EmrAuthKeys.SEK2_CONFIRM, curve, sek2, idD, idHpc, rD3, rHpc2);
            long tHpc1 = env.freshness().now();
            // C_HPC1 = E_PUK_D(ID_HPC‖SEK2‖T_HPC1‖R_HPC2‖R_HPC1), SEK2 as a confirmation tag  (seed 000, eq. 40; erratum 6)
            byte[] inner = LabelledEncoder.of(DoctorEmrSearch.C_HPC1 + "/plain").utf8(idHpc).bytes(conf2).int64(tHpc1)
                    .point(curve, rHpc2).point(curve, own.publicPoint()).toByteArray();
            byte[] cHpc1 = Hpke.seal(doctor.kemKey(), DoctorEmrSearch.C_HPC1, null, inner, env.random());
            // Sig_HPC1 = S_PRK_HPC(PK‖T_HPC1‖ID_HPC), plus R_HPC2, R_HPC1, the tag, ID_D, R_D3  (seed 000, eq. 41)
            byte[] sigHpc1 = Ecdsa.sign(keys.signing(), DoctorEmrSearch.signedHpc1(curve, pk.point(), tHpc1, idHpc, rHpc2,
                    own.publicPoint(), conf2, idD, rD3));
            return new HospitalAccessSession(this, idD, idP, idDE, certD, sek2, new HospitalAccessResponse(cHpc1, sigHpc1, tHpc1));
        } finally {
            r8.destroy();
        }
    }

    /** Resumes a session exported with {@link HospitalAccessSession#export}. */
    public HospitalAccessSession resumeAccessSession(org.medledger.protocol.common.SessionSealer sealer, String sessionId, byte[] sealed)
            throws ProtocolException {
        return HospitalAccessSession.resume(this, sealer, sessionId, sealed);
    }

    /**
     * Stores a doctor-signed EMR version (PROTOCOLS.md §1, diagnosis): decrypts, checks the
     * doctor's certificate and signature, that {@code Cert_D} is the certificate the doctor's
     * {@code S_D} was issued for (as the PC does in the search), and the patient's consent for
     * this doctor and department; returns the version to persist plus the signed index update
     * for the public cloud {@code idPc} (erratum 8).
     *
     * @throws ProtocolException {@link Reason#NOT_AUTHORIZED} without consent,
     *         {@link Reason#CERT_IDENTITY_MISMATCH} if {@code Cert_D} is not the registered one
     */
    public AcceptedEmrVersion acceptEmrVersion(EmrVersionSubmission submission, String idPc, ConsentPolicy consent)
            throws ProtocolException {
        TrustContext t = requireTrust();
        env.freshness().requireFresh(submission.tV());
        byte[] plain = Hpke.open(keys.kem(), C_V, null, submission.cV());
        LabelledDecoder d = LabelledDecoder.open(plain, C_V + "/plain");
        String idP = d.utf8();
        String idD = d.utf8();
        String idDE = d.utf8();
        byte[] content = d.bytes();
        long tV = d.int64();
        byte[] certD = d.bytes();
        byte[] sigVs = d.bytes(Ecdsa.signatureLength(curve));
        d.finish();
        if (tV != submission.tV()) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "inner and outer T_V differ");
        }
        // Cert_D is legal: a doctor who may no longer practise writes no record (as the patient checks the diagnosis, eq. 50)
        t.certificates().requireLegal(certD, idD);
        long now = env.freshness().now();
        DirectoryEntry doctor = t.resolve(EmrAuthRoles.SCHEME, EmrAuthRoles.DOCTOR, idD, now);
        LabelledEncoder signed = signedVersion(idP, idD, idDE, content, tV, idHpc);
        ContentId signedV = Ecdsa.verify(doctor.signingKey(), signed, submission.sigV());
        requireRegisteredCertificate(doctor, idD, certD, signed, sigVs);
        env.freshness().requireFirstSeen("EMR-AUTH/HPC/" + idHpc + "/EmrVersionSubmission", signedV, tV);
        // Authorize the write as the read: the patient's consent for this doctor and department  (emr-auth.md)
        if (!consent.permits(idP, idD, idDE)) {
            throw new ProtocolException(Reason.NOT_AUTHORIZED, "no patient consent for this doctor and department");
        }
        return new AcceptedEmrVersion(idP, idD, idDE, content, tV, submission.sigV(), indexUpdate(idPc, idP, idDE, idD, tV));
    }

    /**
     * The write path's binding of {@code Cert_D} to the doctor's registration (the PC's check in
     * the search, eq. 9–10): {@code Sig_VS} must verify under
     * {@code S_D·P = R_D1 + H(ID_D‖Cert_D‖R_D1)·PK}, with the KGC-certified {@code R_D1}. Old keys
     * presenting a re-issued certificate fail here, since their {@code S_D} was issued for the old one.
     */
    private void requireRegisteredCertificate(DirectoryEntry doctor, String idD, byte[] certD, LabelledEncoder signed, byte[] sigVs)
            throws ProtocolException {
        ECPoint rD1 = doctor.partialKeyPoint().orElseThrow(
                () -> new ProtocolException(Reason.UNKNOWN_PARTY, "no partial-key point certified for this doctor"));
        ECPoint xD = pk.implicitKey(rD1, EmrAuthHashes.doctor(curve, idD, certD, rD1));
        if (!Ecdsa.verifyRaw(VerificationKey.of(curve, xD), signed.toByteArray(), sigVs)) {
            throw new ProtocolException(Reason.CERT_IDENTITY_MISMATCH, "not the certificate this doctor registered with");
        }
    }

    /**
     * Adds or updates the PC's index entry {@code (ID_P, ID_DE) ↦ (ID_HPC, ID_D)} when this
     * HPC stores an EMR (erratum 8), at {@code version} (the stored version's {@code T_V}: the PC
     * only moves an entry forward); encrypted to the PC and signed by the HPC.
     */
    public IndexUpdate indexUpdate(String idPc, String idP, String idDE, String idD, long version) throws ProtocolException {
        TrustContext t = requireTrust();
        DirectoryEntry pc = t.resolve(EmrAuthRoles.SCHEME, EmrAuthRoles.PUBLIC_CLOUD, idPc, env.freshness().now());
        long tIx = env.freshness().now();
        byte[] inner = LabelledEncoder.of(C_IX + "/plain").utf8(idHpc).utf8(idP).utf8(idDE).utf8(idD).int64(version).int64(tIx)
                .toByteArray();
        byte[] cIx = Hpke.seal(pc.kemKey(), C_IX, null, inner, env.random());
        byte[] sigIx = Ecdsa.sign(keys.signing(), signedIndex(idHpc, idP, idDE, idD, version, tIx, idPc));
        return new IndexUpdate(cIx, sigIx, tIx);
    }

    static LabelledEncoder signedVersion(String idP, String idD, String idDE, byte[] content, long tV, String idHpc) {
        return LabelledEncoder.of(SIG_V).utf8(idP).utf8(idD).utf8(idDE).bytes(content).int64(tV).utf8(idHpc);
    }

    static LabelledEncoder signedIndex(String idHpc, String idP, String idDE, String idD, long version, long tIx, String idPc) {
        return LabelledEncoder.of(SIG_IX).utf8(idHpc).utf8(idP).utf8(idDE).utf8(idD).int64(version).int64(tIx).utf8(idPc);
    }

    TrustContext requireTrust() {
        if (trust == null) {
            throw new IllegalStateException("This HPC was built for registration only.");
        }
        return trust;
    }

    Environment env() {
        return env;
    }

    static byte[] copy(byte[] b) {
        return Arrays.copyOf(b, b.length);
    }

    @Override
    public String toString() {
        return "HospitalPrivateCloud[" + idHpc + ", registered=" + isRegistered() + "]";
    }
}
