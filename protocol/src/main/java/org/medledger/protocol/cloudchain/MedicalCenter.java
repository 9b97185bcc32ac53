package org.medledger.protocol.cloudchain;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.encoders.Hex;
import org.medledger.protocol.common.ContentId;
import org.medledger.protocol.common.Aead;
import org.medledger.protocol.common.AssociatedData;
import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.Ecdh;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.Hpke;
import org.medledger.protocol.common.Kdf;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SecretScalar;
import org.medledger.protocol.common.TrustContext;

/**
 * The medical center MC_j of CLOUD-CHAIN: masked identity {@code PID_j = h(ID_j‖r_j)}, its
 * own signing and KEM keys ({@code PK_j}), the NA-issued {@code Cert_j}, the patients'
 * verifiers, and {@code KMS_j} shared with the cloud server.
 */
public final class MedicalCenter {

    static final String M_UP = "CLOUD-CHAIN/5.4/M_up";
    static final String M_CU = "CLOUD-CHAIN/5.4/M_CU";
    static final String M_REQ = "CLOUD-CHAIN/5.5/M_req";
    static final String M_CR = "CLOUD-CHAIN/5.5/M_CR";
    static final String M_E = "CLOUD-CHAIN/5.5/M_E";
    static final String M_CE = "CLOUD-CHAIN/5.5/M_CE";
    static final String CS_ID = "CS";

    private final Environment env;
    private final CurveProfile curve;
    private final TrustContext trust;
    private final PartyKeys keys;
    private final String pidJ;
    private final SecretBytes kmsJ;
    private final Map<String, byte[]> verifiers = new ConcurrentHashMap<>();
    private volatile DirectoryEntry certJ;
    private volatile java.util.function.Function<byte[], java.util.Optional<byte[]>> verifierSource = h -> java.util.Optional.empty();

    /**
     * MC registration step 1 (seed 001, §5.1.2 step 1): picks {@code r_j} and computes
     * {@code PID_j = h(ID_j‖r_j)}.
     */
    public static MedicalCenter create(Environment env, TrustContext trust, PartyKeys keys, String idJ, SecretBytes kmsJ) {
        byte[] rJ = new byte[32];
        env.random().nextBytes(rJ);
        // PID_j = h(ID_j‖r_j)  (seed 001, §5.1.2 step 1)
        String pid = Hex.toHexString(CloudChainHashes.h(LabelledEncoder.of("CLOUD-CHAIN/5.1.2/PID_j").utf8(idJ).bytes(rJ)));
        Arrays.fill(rJ, (byte) 0);
        return new MedicalCenter(env, trust, keys, pid, kmsJ);
    }

    /** Restores a medical center with a known {@code PID_j}. */
    public MedicalCenter(Environment env, TrustContext trust, PartyKeys keys, String pidJ, SecretBytes kmsJ) {
        this.env = Objects.requireNonNull(env, "Environment is required.");
        this.trust = Objects.requireNonNull(trust, "Trust context is required.");
        this.keys = Objects.requireNonNull(keys, "Party keys are required.");
        this.pidJ = Objects.requireNonNull(pidJ, "PID_j is required.");
        this.kmsJ = Objects.requireNonNull(kmsJ, "KMS_j is required.");
        this.curve = env.curve();
        if (kmsJ.length() != Aead.KEY_LENGTH) {
            throw new IllegalArgumentException("KMS_j must be 32 bytes.");
        }
    }

    public String pid() {
        return pidJ;
    }

    public PartyKeys keys() {
        return keys;
    }

    /** Registration step 1: {@code PID_j} and {@code PK_j} for the NA. */
    public MedicalCenterEnrolment enrolment() {
        return new MedicalCenterEnrolment(pidJ, keys.signingPublic(), keys.kemPublic());
    }

    /**
     * Registration step 3 (seed 001, §5.1.2 step 3): checks {@code Cert_j} is the NA's and
     * for these keys, then stores it with the patients' verifiers.
     */
    public void install(MedicalCenterCertificate certificate) throws ProtocolException {
        DirectoryEntry c = certificate.certJ();
        c.verify(trust.certifierKey(), CloudChainRoles.SCHEME, CloudChainRoles.MEDICAL_CENTER, pidJ, env.freshness().now());
        if (!c.signingKey().equals(keys.signingPublic()) || !c.kemKey().equals(keys.kemPublic())) {
            throw new ProtocolException(Reason.CERT_INVALID, "Cert_j is for other keys");
        }
        this.certJ = c;
        certificate.patients().forEach(this::addVerifier);
    }

    /**
     * Where to look up the verifier of a patient the NA provisioned after this object was built
     * (a server reads them from its database instead of holding every patient in memory).
     */
    public void useVerifierSource(java.util.function.Function<byte[], java.util.Optional<byte[]>> source) {
        this.verifierSource = Objects.requireNonNull(source, "Verifier source is required.");
    }

    /** Adds a verifier provisioned later by the NA (erratum 4). */
    public void addVerifier(PatientVerifier v) {
        verifiers.put(Hex.toHexString(v.hidI()), v.vI());
    }

    /**
     * Authentication step 2 (seed 001, §5.2 step 2): decrypts {@code M_1}, checks that
     * {@code HID_i} is registered, that {@code x_i} is the NA-issued one (erratum 4) and
     * {@code M_ap}; answers with {@code <E_i, M_amc, T_2, Q_j>} and derives {@code SK_ij}.
     *
     * @throws ProtocolException {@link Reason#UNKNOWN_PARTY} for an unregistered
     *         {@code HID_i}, {@link Reason#KEY_CONFIRMATION_FAILED} for a wrong {@code x_i}
     *         or {@code M_ap}, or a freshness/decryption/point reason
     */
    public MedicalCenterSession acceptAuthentication(AuthRequest request) throws ProtocolException {
        DirectoryEntry cert = requireCertificate();
        env.freshness().requireFresh(request.t1());
        // (x_i‖HID_i‖T_1‖Q_i) = Dec_PRK_j(M_1)  (seed 001, §5.2 step 2; erratum 1)
        byte[] plain = Hpke.open(keys.kem(), PatientAuthentication.M_1, null, request.m1());
        LabelledDecoder d = LabelledDecoder.open(plain, PatientAuthentication.M_1 + "/plain");
        SecretBytes xI = SecretBytes.copyOf(d.bytes(CloudChainHashes.LENGTH));
        byte[] hidI = d.bytes(CloudChainHashes.LENGTH);
        long t1 = d.int64();
        ECPoint qI = d.point(curve);
        d.finish();
        Arrays.fill(plain, (byte) 0);
        if (t1 != request.t1()) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "inner and outer T_1 differ");
        }
        // HID_i* ?= HID_i: the patient is registered  (seed 001, §5.2 step 2)
        byte[] vI = verifiers.get(Hex.toHexString(hidI));
        if (vI == null) {
            vI = verifierSource.apply(hidI.clone()).orElse(null);
        }
        if (vI == null) {
            throw new ProtocolException(Reason.UNKNOWN_PARTY, "HID_i not registered");
        }
        // h(x_i) ?= V_i: x_i is the one the NA issued  (erratum 4)
        byte[] x = xI.reveal();
        try {
            CheckValues.requireEqual(vI, NetworkAdministrator.verifierOf(x));
        } finally {
            Arrays.fill(x, (byte) 0);
        }
        // M_ap* = h(x_i‖HID_i) ?= M_ap  (seed 001, §5.2 step 2)
        CheckValues.requireEqual(PatientAuthentication.mAp(xI, hidI, t1, pidJ, curve, qI), request.mAp());
        env.freshness().requireFirstSeen("CLOUD-CHAIN/MC/" + pidJ + "/AuthRequest", ContentId.ofAuthenticatedEncoding(request.encode()), t1);

        byte[] bJ = new byte[CloudChainHashes.LENGTH];
        env.random().nextBytes(bJ);
        SecretScalar eJ = SecretScalar.random(curve, env.random());
        try {
            ECPoint qJ = eJ.publicPoint();
            long t2 = env.freshness().now();
            byte[] xb = xI.reveal();
            // E_i = b_j ⊕ x_i  (seed 001, §5.2 step 2)
            byte[] eI = CloudChainHashes.xor(bJ, xb);
            Arrays.fill(xb, (byte) 0);
            // M_amc = h(PID_j‖b_j‖T_2), keyed by x_i and bound to Q_i, Q_j
            byte[] mAmc = CheckValues.mac(xI, PatientAuthentication.mAmcInput(pidJ, bJ, t2, curve, qI, qJ));
            SecretBytes z = Ecdh.agree(eJ, qI);
            // SK_ij = h(HID_i‖PID_j‖x_i‖b_j‖Z‖Q_i‖Q_j)  (seed 001, §5.2 step 2; erratum 5)
            SecretBytes sk = PatientAuthentication.sessionKey(hidI, pidJ, xI, bJ, z, curve, qI, qJ);
            z.destroy();
            return new MedicalCenterSession(this, hidI, sk, cert, new AuthResponse(eI, mAmc, t2, curve.encodePoint(qJ)));
        } finally {
            eJ.destroy();
            xI.destroy();
            Arrays.fill(bJ, (byte) 0);
        }
    }

    /** Resumes a session exported with {@link MedicalCenterSession#export}. */
    public MedicalCenterSession resumeSession(org.medledger.protocol.common.SessionSealer sealer, String sessionId, byte[] sealed)
            throws ProtocolException {
        return MedicalCenterSession.resume(this, sealer, sessionId, sealed);
    }

    /**
     * EHR storing step 1 (seed 001, §5.4 step 1): {@code EHR_i = {HID_i, PID_j, RI, T_up}},
     * {@code M_up = E_KMS_j(EHR_i)}, {@code M_CU = h(EHR_i‖PID_j)}.
     */
    public EhrUpload storeEhr(byte[] hidI, byte[] ri) {
        long tUp = env.freshness().now();
        Ehr ehr = new Ehr(hidI, pidJ, ri, tUp);
        byte[] mUp = Aead.seal(kmsJ, new AssociatedData(M_UP, pidJ, CS_ID, tUp), ehr.encode(), env.random());
        // M_CU = HMAC(k_CU, EHR_i‖PID_j)  (seed 001, §5.4 step 1; erratum 3; keyed: cloud-chain.md)
        byte[] mCu = mCu(kmsJ, ehr, pidJ);
        return new EhrUpload(pidJ.getBytes(java.nio.charset.StandardCharsets.UTF_8), mUp, mCu, tUp);
    }

    /**
     * {@code M_CU} keyed with {@code k_CU = HKDF(KMS_j, "CLOUD-CHAIN/5.4/k_CU")}: the paper's
     * unkeyed {@code h(EHR_i‖PID_j)} travels next to the ciphertext and lets anyone confirm a
     * guessed low-entropy record offline.
     */
    static byte[] mCu(SecretBytes kms, Ehr ehr, String pidJ) {
        byte[] k = kms.reveal();
        SecretBytes kCu = Kdf.hkdf(k, new byte[0], (M_CU + "/k_CU").getBytes(java.nio.charset.StandardCharsets.UTF_8), Kdf.KEY_LENGTH);
        Arrays.fill(k, (byte) 0);
        try {
            return CheckValues.mac(kCu, LabelledEncoder.of(M_CU).bytes(ehr.encode()).utf8(pidJ));
        } finally {
            kCu.destroy();
        }
    }

    /**
     * EHR requesting step 1 (seed 001, §5.5 step 1) for patient {@code hidI}; {@code M_req}
     * also carries {@code Sig_j} of the access-log transaction {@code {HID_i, PID_j, T_req}}
     * that the CS commits before it answers (§5.6).
     */
    public EhrQuery requestEhr(byte[] hidI) {
        long tReq = env.freshness().now();
        byte[] nonce = new byte[16];
        env.random().nextBytes(nonce);
        // RE: which record, and a nonce so that every request differs
        byte[] re = LabelledEncoder.of("CLOUD-CHAIN/5.5/RE").bytes(hidI).bytes(nonce).toByteArray();
        // Sig_j over {HID_i, PID_j, T_access = T_req}  (seed 001, §5.6)
        byte[] sigJ = Ecdsa.sign(keys.signing(), LogTransaction.signed(hidI, pidJ, tReq));
        // M_req = E_KMS_j(RE‖PID_j‖Sig_j)
        byte[] plain = LabelledEncoder.of(M_REQ + "/plain").bytes(re).utf8(pidJ).bytes(sigJ).toByteArray();
        byte[] mReq = Aead.seal(kmsJ, new AssociatedData(M_REQ, pidJ, CS_ID, tReq), plain, env.random());
        // M_CR = h(RE‖PID_j)  (erratum 3)
        byte[] mCr = CheckValues.digest(LabelledEncoder.of(M_CR).bytes(re).utf8(pidJ));
        return new EhrQuery(this, hidI, re, new EhrRequest(pidJ.getBytes(java.nio.charset.StandardCharsets.UTF_8), mReq, mCr, tReq));
    }

    /** Log transaction (seed 001, §5.6): {@code Tx = {HID_i, PID_j, T_access, Sig_j}}. */
    public LogTransaction logTransaction(byte[] hidI, long tAccess) {
        byte[] sig = Ecdsa.sign(keys.signing(), LogTransaction.signed(hidI, pidJ, tAccess));
        return new LogTransaction(hidI, pidJ, tAccess, sig);
    }

    DirectoryEntry requireCertificate() {
        DirectoryEntry c = certJ;
        if (c == null) {
            throw new IllegalStateException("Medical center has no Cert_j yet.");
        }
        return c;
    }

    Environment env() {
        return env;
    }

    SecretBytes kms() {
        return kmsJ;
    }

    @Override
    public String toString() {
        return "MedicalCenter[" + pidJ + "]";
    }
}
