package org.medledger.protocol.cloudchain;

import java.util.Arrays;

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
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SecretScalar;
import org.medledger.protocol.common.SigningKey;

/**
 * The patient's side of one CLOUD-CHAIN authentication and the smart-contract upload that
 * follows (seed 001, §5.2–5.3). Holds {@code x_i} and the ephemeral {@code q_i} only until
 * the session key is derived. Not thread-safe.
 */
public final class PatientAuthentication {

    static final String M_1 = "CLOUD-CHAIN/5.2/M_1";
    static final String M_AP = "CLOUD-CHAIN/5.2/M_ap";
    static final String M_AMC = "CLOUD-CHAIN/5.2/M_amc";
    static final String SK = "CLOUD-CHAIN/5.2/SK_ij";
    static final String M_SC = "CLOUD-CHAIN/5.3/M_sc";
    static final String M_INF = "CLOUD-CHAIN/5.3/M_inf";

    private final Environment env;
    private final CurveProfile curve;
    private final DirectoryEntry certJ;
    private final byte[] hidI;
    private final SecretBytes xI;
    private final SecretScalar qI;
    private final ECPoint qIPub;
    private final AuthRequest request;
    private final ECPoint pkI;
    private final byte[] sigI;
    private SecretBytes sk;
    private boolean uploaded;

    private PatientAuthentication(Environment env, DirectoryEntry certJ, byte[] hidI, SecretBytes xI, SecretScalar qI, ECPoint qIPub,
                                  AuthRequest request, ECPoint pkI, byte[] sigI) {
        this.pkI = pkI;
        this.sigI = sigI;
        this.env = env;
        this.curve = env.curve();
        this.certJ = certJ;
        this.hidI = hidI.clone();
        this.xI = xI;
        this.qI = qI;
        this.qIPub = qIPub;
        this.request = request;
    }

    static PatientAuthentication start(Environment env, DirectoryEntry certJ, CardSecrets s) {
        CurveProfile c = env.curve();
        String pidJ = certJ.partyId();
        long t1 = env.freshness().now();
        // Ephemeral share for forward secrecy: q_i, Q_i = q_i·G  (erratum 5)
        SecretScalar qI = SecretScalar.random(c, env.random());
        ECPoint qIPub = qI.publicPoint();
        // M_1 = Enc_PK_j(x_i‖HID_i‖T_1), here with Q_i, as HPKE  (seed 001, §5.2 step 1; erratum 1)
        byte[] plain = LabelledEncoder.of(M_1 + "/plain").secret(s.xI).bytes(s.hidI).int64(t1).point(c, qIPub).toByteArray();
        byte[] m1 = Hpke.seal(certJ.kemKey(), M_1, null, plain, env.random());
        Arrays.fill(plain, (byte) 0);
        // M_ap = h(x_i‖HID_i), as HMAC keyed by x_i over the run  (seed 001, §5.2 step 1)
        byte[] mAp = mAp(s.xI, s.hidI, t1, pidJ, c, qIPub);
        SecretBytes x = s.xI;
        // Sig_i = S_r_i(HID_i‖PID_j) under PK_i = r_i·G: the patient's own evidence for Sc(HID_i, PID_j, ·)  (cloud-chain.md)
        ECPoint pkI = s.rI.publicPoint();
        SigningKey card = SigningKey.of(s.rI);
        byte[] sigI = Ecdsa.signRaw(card, PatientCenterContract.patientStatement(s.hidI, pidJ));
        s.aI.destroy();
        s.rI.destroy();
        return new PatientAuthentication(env, certJ, s.hidI, x, qI, qIPub, new AuthRequest(m1, mAp, t1), pkI, sigI);
    }

    static byte[] mAp(SecretBytes xI, byte[] hidI, long t1, String pidJ, CurveProfile c, ECPoint qI) {
        return CheckValues.mac(xI, LabelledEncoder.of(M_AP).bytes(hidI).int64(t1).utf8(pidJ).point(c, qI));
    }

    static LabelledEncoder mAmcInput(String pidJ, byte[] bJ, long t2, CurveProfile c, ECPoint qI, ECPoint qJ) {
        return LabelledEncoder.of(M_AMC).utf8(pidJ).bytes(bJ).int64(t2).point(c, qI).point(c, qJ);
    }

    /** {@code SK_ij = h(HID_i‖PID_j‖x_i‖b_j)} extended with the ephemeral DH value (erratum 5). */
    static SecretBytes sessionKey(byte[] hidI, String pidJ, SecretBytes xI, byte[] bJ, SecretBytes z, CurveProfile c, ECPoint qI, ECPoint qJ) {
        return org.medledger.protocol.common.Kdf.deriveKey(LabelledEncoder.of(SK).bytes(hidI).utf8(pidJ).secret(xI).bytes(bJ)
                .secret(z).point(c, qI).point(c, qJ));
    }

    static LabelledEncoder mScInput(byte[] hidI, String pidJ, long t3) {
        return LabelledEncoder.of(M_SC).bytes(hidI).utf8(pidJ).int64(t3);
    }

    /** {@code <M_1, M_ap, T_1>} for the medical center. */
    public AuthRequest request() {
        return request;
    }

    /**
     * Authentication step 3 (seed 001, §5.2 step 3): recovers {@code b_j}, checks
     * {@code M_amc}, derives {@code SK_ij}.
     *
     * @throws ProtocolException {@link Reason#STALE_TIMESTAMP}, {@link Reason#REPLAY},
     *         {@link Reason#BAD_POINT}, {@link Reason#MALFORMED_MESSAGE} or
     *         {@link Reason#KEY_CONFIRMATION_FAILED}
     */
    public void acceptResponse(AuthResponse response) throws ProtocolException {
        if (sk != null) {
            throw new IllegalStateException("Session already established.");
        }
        String pidJ = certJ.partyId();
        env.freshness().requireFresh(response.t2());
        if (response.eI().length != CloudChainHashes.LENGTH || response.mAmc().length != CheckValues.LENGTH) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "E_i or M_amc has the wrong length");
        }
        ECPoint qJ = curve.decodePoint(response.qJ());
        byte[] x = xI.reveal();
        // b_j = E_i ⊕ x_i  (seed 001, §5.2 step 3)
        byte[] bJ = CloudChainHashes.xor(response.eI(), x);
        Arrays.fill(x, (byte) 0);
        // M_amc* = h(PID_j‖b_j‖T_2) ?= M_amc, keyed by x_i and bound to both shares
        CheckValues.requireMac(xI, mAmcInput(pidJ, bJ, response.t2(), curve, qIPub, qJ), response.mAmc());
        env.freshness().requireFirstSeen("CLOUD-CHAIN/P/" + Hex.toHexString(hidI) + "/AuthResponse", ContentId.ofAuthenticatedEncoding(response.encode()), response.t2());
        SecretBytes z = Ecdh.agree(qI, qJ);
        // SK_ij = h(HID_i‖PID_j‖x_i‖b_j‖Z‖Q_i‖Q_j)  (seed 001, §5.2 step 3; erratum 5)
        this.sk = sessionKey(hidI, pidJ, xI, bJ, z, curve, qIPub, qJ);
        z.destroy();
        qI.destroy();
        xI.destroy();
        Arrays.fill(bJ, (byte) 0);
    }

    /**
     * Smart-contract upload step 1 (seed 001, §5.3 step 1):
     * {@code M_sc = h(HID_i‖PID_j‖SK_ij)} (as HMAC under {@code SK_ij}) and
     * {@code M_inf = E_SK_ij(HID_i‖PID_j)}, here with {@code PK_i} and the patient's
     * signature {@code Sig_i} over {@code (HID_i, PID_j)} for the ledger's {@code Sc}.
     */
    public ContractUpload contractUpload() {
        SecretBytes key = sessionKey();
        if (uploaded) {
            throw new IllegalStateException("Contract already uploaded in this session.");
        }
        String pidJ = certJ.partyId();
        long t3 = env.freshness().now();
        byte[] mSc = CheckValues.mac(key, mScInput(hidI, pidJ, t3));
        byte[] plain = LabelledEncoder.of(M_INF + "/plain").bytes(hidI).utf8(pidJ).point(curve, pkI).bytes(sigI).toByteArray();
        byte[] mInf = Aead.seal(key, new AssociatedData(M_INF, Hex.toHexString(hidI), pidJ, t3), plain, env.random());
        uploaded = true;
        return new ContractUpload(mSc, mInf, t3);
    }

    /** {@code SK_ij} once established. */
    public SecretBytes sessionKey() {
        if (sk == null) {
            throw new IllegalStateException("Session not established.");
        }
        return sk;
    }

    /** {@code HID_i} (the patient's pseudonym towards MCs). */
    public byte[] hid() {
        return hidI.clone();
    }

    @Override
    public String toString() {
        return "PatientAuthentication[-> " + certJ.partyId() + ", established=" + (sk != null) + "]";
    }
}
