package org.medledger.protocol.cloudchain;

import java.util.Arrays;

import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.encoders.Hex;
import org.medledger.protocol.common.ContentId;
import org.medledger.protocol.common.Aead;
import org.medledger.protocol.common.AssociatedData;
import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;

/** The medical center's side of one authenticated session with a patient (seed 001, §5.2–5.3). */
public final class MedicalCenterSession {

    private final MedicalCenter mc;
    private final Environment env;
    private final byte[] hidI;
    private final SecretBytes sk;
    private final DirectoryEntry certJ;
    private final AuthResponse response;
    private boolean contracted;

    MedicalCenterSession(MedicalCenter mc, byte[] hidI, SecretBytes sk, DirectoryEntry certJ, AuthResponse response) {
        this.mc = mc;
        this.env = mc.env();
        this.hidI = hidI.clone();
        this.sk = sk;
        this.certJ = certJ;
        this.response = response;
    }

    /** {@code <E_i, M_amc, T_2, Q_j>} for the patient. */
    public AuthResponse response() {
        return response;
    }

    public byte[] hid() {
        return hidI.clone();
    }

    /** {@code SK_ij} (tests; session persistence). */
    public SecretBytes sessionKey() {
        return sk;
    }

    /**
     * Smart-contract upload step 2 (seed 001, §5.3 step 2): checks {@code M_sc}, decrypts
     * {@code M_inf} and returns the contract payload {@code Sc(HID_i, PID_j, Cert_j)}.
     */
    public PatientCenterContract acceptContractUpload(ContractUpload upload) throws ProtocolException {
        if (contracted) {
            throw new IllegalStateException("Contract already created in this session.");
        }
        String pidJ = mc.pid();
        env.freshness().requireFresh(upload.t3());
        // M_sc* = h(HID_i‖PID_j‖SK_ij) ?= M_sc  (seed 001, §5.3 step 2)
        CheckValues.requireMac(sk, PatientAuthentication.mScInput(hidI, pidJ, upload.t3()), upload.mSc());
        // (HID_i‖PID_j) = D_SK_ij(M_inf)
        byte[] plain = Aead.open(sk, new AssociatedData(PatientAuthentication.M_INF, Hex.toHexString(hidI), pidJ, upload.t3()), upload.mInf());
        LabelledDecoder d = LabelledDecoder.open(plain, PatientAuthentication.M_INF + "/plain");
        byte[] h = d.bytes(CloudChainHashes.LENGTH);
        String p = d.utf8();
        ECPoint pkI = d.point(env.curve());
        byte[] sigI = d.bytes(Ecdsa.signatureLength(env.curve()));
        d.finish();
        if (!Arrays.equals(h, hidI) || !p.equals(pidJ)) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "M_inf does not match the session");
        }
        byte[] patientKey = env.curve().encodePoint(pkI);
        // Sig_i: the patient's own evidence for this contract (the ledger also checks PK_i is the one registered for HID_i)
        PatientCenterContract.requirePatientSignature(env.curve(), hidI, pidJ, patientKey, sigI);
        env.freshness().requireFirstSeen("CLOUD-CHAIN/MC/" + pidJ + "/ContractUpload", ContentId.ofAuthenticatedEncoding(upload.encode()), upload.t3());
        contracted = true;
        return new PatientCenterContract(hidI, pidJ, certJ.encode(), patientKey, sigI);
    }

    private static final String STATE = "CLOUD-CHAIN/MedicalCenterSession";

    /** The session's state sealed with {@code sealer} (keeps {@code SK_ij} out of server memory between requests). */
    public byte[] export(org.medledger.protocol.common.SessionSealer sealer, String sessionId) {
        if (contracted) {
            throw new IllegalStateException("Session already used.");
        }
        byte[] state = org.medledger.protocol.common.LabelledEncoder.of(STATE).bytes(hidI).secret(sk).bytes(certJ.encode())
                .bytes(response.encode()).toByteArray();
        try {
            return sealer.seal(STATE, sessionId, state);
        } finally {
            Arrays.fill(state, (byte) 0);
        }
    }

    static MedicalCenterSession resume(MedicalCenter mc, org.medledger.protocol.common.SessionSealer sealer, String sessionId,
                                       byte[] sealed) throws ProtocolException {
        byte[] state = sealer.open(STATE, sessionId, sealed);
        try {
            LabelledDecoder d = LabelledDecoder.open(state, STATE);
            byte[] hid = d.bytes(CloudChainHashes.LENGTH);
            SecretBytes key = d.secretBytes();
            DirectoryEntry cert = DirectoryEntry.decode(mc.env().curve(), d.bytes());
            AuthResponse resp = AuthResponse.decode(mc.env().curve(), d.bytes());
            d.finish();
            return new MedicalCenterSession(mc, hid, key, cert, resp);
        } finally {
            Arrays.fill(state, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "MedicalCenterSession[" + mc.pid() + "]";
    }
}
