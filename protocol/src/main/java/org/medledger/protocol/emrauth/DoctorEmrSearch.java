package org.medledger.protocol.emrauth;

import java.math.BigInteger;
import java.util.Arrays;

import org.bouncycastle.math.ec.ECPoint;
import org.medledger.protocol.common.ContentId;
import org.medledger.protocol.common.Aead;
import org.medledger.protocol.common.AssociatedData;
import org.medledger.protocol.common.CheckValues;
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
import org.medledger.protocol.common.TrustContext;

/**
 * The doctor's side of one EMR search (seed 000, "doctor searching EMR" phase): D → PC →
 * D → HPC → D → HPC → D. Each step must follow the previous; not thread-safe.
 */
public final class DoctorEmrSearch {

    static final String C_D2 = "EMR-AUTH/eq25/C_D2";
    static final String SIG_D2 = "EMR-AUTH/eq26/Sig_D2";
    static final String C_C = "EMR-AUTH/eq29/C_C";
    static final String SIG_C = "EMR-AUTH/eq30/Sig_C";
    static final String C_D3 = "EMR-AUTH/eq34/C_D3";
    static final String SIG_D3 = "EMR-AUTH/eq35/Sig_D3";
    static final String C_HPC1 = "EMR-AUTH/eq40/C_HPC1";
    static final String SIG_HPC1 = "EMR-AUTH/eq41/Sig_HPC1";
    static final String C_D4 = "EMR-AUTH/eq45/C_D4";
    static final String C_HPC2 = "EMR-AUTH/eq47/C_HPC2";

    private enum Step { AWAIT_LOCATION, AWAIT_ACCESS, AWAIT_EMR, DONE }

    private final Doctor doctor;
    private final Environment env;
    private final CurveProfile curve;
    private final DirectoryEntry pc;
    private final String idP;
    private final String idDE;
    private final EmrSearchRequest request;
    private Step step = Step.AWAIT_LOCATION;
    private DirectoryEntry hpc;
    private SecretScalar r7;
    private ECPoint rD3;
    private SecretBytes sek2;

    private DoctorEmrSearch(Doctor doctor, DirectoryEntry pc, String idP, String idDE, EmrSearchRequest request) {
        this.doctor = doctor;
        this.env = doctor.env();
        this.curve = env.curve();
        this.pc = pc;
        this.idP = idP;
        this.idDE = idDE;
        this.request = request;
    }

    static LabelledEncoder signedD2(CurveProfile c, SecretScalar sD, long tD2, String idP, String idDE, String idD, String idPc) {
        return LabelledEncoder.of(SIG_D2).secret(sD).int64(tD2).utf8(idP).utf8(idDE).utf8(idD).utf8(idPc);
    }

    static LabelledEncoder signedC(SecretScalar sD, String idDE, String idHpc, long tC, String idD, String idP, long tD2) {
        return LabelledEncoder.of(SIG_C).utf8(idDE).secret(sD).utf8(idHpc).int64(tC).utf8(idD).utf8(idP).int64(tD2);
    }

    static LabelledEncoder signedD3(CurveProfile c, ECPoint pk, long tD3, String idP, ECPoint rD3, ECPoint rD1, String idHpc,
                                    String idDE) {
        return LabelledEncoder.of(SIG_D3).point(c, pk).int64(tD3).utf8(idP).point(c, rD3).point(c, rD1).utf8(idHpc).utf8(idDE);
    }

    static LabelledEncoder signedHpc1(CurveProfile c, ECPoint pk, long tHpc1, String idHpc, ECPoint rHpc2, ECPoint rHpc1,
                                      byte[] conf2, String idD, ECPoint rD3) {
        return LabelledEncoder.of(SIG_HPC1).point(c, pk).int64(tHpc1).utf8(idHpc).point(c, rHpc2).point(c, rHpc1)
                .bytes(conf2).utf8(idD).point(c, rD3);
    }

    static DoctorEmrSearch start(Doctor d, DirectoryEntry pc, String idP, String idDE) {
        Environment env = d.env();
        CurveProfile c = env.curve();
        long tD2 = env.freshness().now();
        // C_D2 = E_PUK_PC(ID_P‖T_D2‖ID_D‖Cert_D‖ID_DE)  (seed 000, eq. 25)
        byte[] inner = LabelledEncoder.of(C_D2 + "/plain").utf8(idP).int64(tD2).utf8(d.id()).bytes(d.certRef()).utf8(idDE).toByteArray();
        byte[] cD2 = Hpke.seal(pc.kemKey(), C_D2, null, inner, env.random());
        // Sig_D2 = S_PRK_D(S_D‖T_D2‖ID_P‖ID_DE‖ID_D), plus ID_PC  (seed 000, eq. 26)
        byte[] sigD2 = Ecdsa.sign(d.keys().signing(), signedD2(c, d.partialKey().secret(), tD2, idP, idDE, d.id(), pc.partyId()));
        return new DoctorEmrSearch(d, pc, idP, idDE, new EmrSearchRequest(cD2, sigD2, tD2));
    }

    /** {@code (C_D2, Sig_D2, T_D2)} for the public cloud. */
    public EmrSearchRequest request() {
        return request;
    }

    /**
     * Search step 3 (seed 000, eq. 31–35): checks the PC's answer and asks the named HPC.
     */
    public HospitalAccessRequest acceptSearchResponse(EmrSearchResponse response) throws ProtocolException {
        requireStep(Step.AWAIT_LOCATION);
        TrustContext trust = doctor.requireTrust();
        PartialKey own = doctor.partialKey();
        env.freshness().requireFresh(response.tC());
        // (ID_HPC‖ID_DE‖T_C) = D_PRK_D(C_C)  (seed 000, eq. 31)
        byte[] plain = Hpke.open(doctor.keys().kem(), C_C, null, response.cC());
        LabelledDecoder d = LabelledDecoder.open(plain, C_C + "/plain");
        String idHpc = d.utf8();
        String de = d.utf8();
        long tC = d.int64();
        d.finish();
        if (!de.equals(idDE) || tC != response.tC()) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "C_C fields do not match the request");
        }
        // V_PUK_PC(Sig_C), which also binds this request's ID_P and T_D2  (seed 000, eq. 32; emr-auth.md)
        ContentId signedC = Ecdsa.verify(pc.signingKey(), signedC(own.secret(), idDE, idHpc, tC, doctor.id(), idP, request.tD2()), response.sigC());
        env.freshness().requireFirstSeen("EMR-AUTH/D/" + doctor.id() + "/EmrSearchResponse", signedC, tC);
        this.hpc = trust.resolve(EmrAuthRoles.SCHEME, EmrAuthRoles.HOSPITAL_PRIVATE_CLOUD, idHpc, env.freshness().now());

        this.r7 = SecretScalar.random(curve, env.random());
        // R_D3 = r7·P  (seed 000, eq. 33)
        this.rD3 = r7.publicPoint();
        long tD3 = env.freshness().now();
        // C_D3 = E_PUK_HPC(Cert_D‖T_D3‖ID_D‖R_D3‖R_D1‖ID_P‖ID_DE)  (seed 000, eq. 34; erratum 5; ID_DE: emr-auth.md)
        byte[] inner = LabelledEncoder.of(C_D3 + "/plain").bytes(doctor.certRef()).int64(tD3).utf8(doctor.id())
                .point(curve, rD3).point(curve, own.publicPoint()).utf8(idP).utf8(idDE).toByteArray();
        byte[] cD3 = Hpke.seal(hpc.kemKey(), C_D3, null, inner, env.random());
        // Sig_D3 = S_PRK_D(PK‖T_D3‖ID_P‖R_D3‖R_D1), plus ID_HPC and ID_DE  (seed 000, eq. 35)
        byte[] sigD3 = Ecdsa.sign(doctor.keys().signing(),
                signedD3(curve, trust.masterPublicKey().point(), tD3, idP, rD3, own.publicPoint(), idHpc, idDE));
        step = Step.AWAIT_ACCESS;
        return new HospitalAccessRequest(cD3, sigD3, tD3);
    }

    /**
     * Search step 5 (seed 000, eq. 42–45): checks the HPC, confirms {@code SEK2} and asks for
     * the record with {@code (C_D4, T_D4)}.
     */
    public EmrRequest acceptAccessResponse(HospitalAccessResponse response) throws ProtocolException {
        requireStep(Step.AWAIT_ACCESS);
        TrustContext trust = doctor.requireTrust();
        PartialKey own = doctor.partialKey();
        env.freshness().requireFresh(response.tHpc1());
        // (ID_HPC‖SEK2‖T_HPC1‖R_HPC2‖R_HPC1) = D_PRK_D(C_HPC1)  (seed 000, eq. 42)
        byte[] plain = Hpke.open(doctor.keys().kem(), C_HPC1, null, response.cHpc1());
        LabelledDecoder d = LabelledDecoder.open(plain, C_HPC1 + "/plain");
        String idHpc = d.utf8();
        byte[] conf2 = d.bytes(CheckValues.LENGTH);
        long tHpc1 = d.int64();
        ECPoint rHpc2 = d.point(curve);
        ECPoint rHpc1 = d.point(curve);
        d.finish();
        if (!idHpc.equals(hpc.partyId()) || tHpc1 != response.tHpc1()) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "C_HPC1 fields do not match the session");
        }
        // V_PUK_HPC(Sig_HPC1)  (seed 000, eq. 43; erratum 3)
        ContentId signedHpc1 = Ecdsa.verify(hpc.signingKey(), signedHpc1(curve, trust.masterPublicKey().point(), tHpc1, idHpc, rHpc2, rHpc1,
                conf2, doctor.id(), rD3), response.sigHpc1());
        // R_HPC1 is the KGC-certified one  (erratum 6)
        EmrAuthChecks.requireDirectoryPoint(hpc, rHpc1);
        // SEK2' = h(S_D·R_HPC2 + r7·(R_HPC1 + h(ID_HPC‖R_HPC1)·PK) ‖ r7·R_HPC2)  (seed 000, eq. 44)
        BigInteger hH = EmrAuthHashes.hospitalCloud(curve, idHpc, rHpc1);
        ECPoint xH = trust.masterPublicKey().implicitKey(rHpc1, hH);
        ECPoint k1 = EmrAuthKeys.sharedK1(curve, own.secret(), rHpc2, r7, xH);
        ECPoint k2 = r7.multiply(rHpc2);
        SecretBytes key = EmrAuthKeys.sessionKey(EmrAuthKeys.SEK2, curve, k1, k2, doctor.id(), idHpc, rD3, rHpc2);
        EmrAuthKeys.requireConfirmation(EmrAuthKeys.SEK2_CONFIRM, curve, key, doctor.id(), idHpc, rD3, rHpc2, conf2);
        env.freshness().requireFirstSeen("EMR-AUTH/D/" + doctor.id() + "/HospitalAccessResponse", signedHpc1, tHpc1);
        this.sek2 = key;
        r7.destroy();
        long tD4 = env.freshness().now();
        // C_D4 = E_SEK2(ID_P‖ID_D‖T_D4‖Cert_D)  (seed 000, eq. 45)
        byte[] inner = LabelledEncoder.of(C_D4 + "/plain").utf8(idP).utf8(doctor.id()).int64(tD4).bytes(doctor.certRef()).toByteArray();
        byte[] cD4 = Aead.seal(key, new AssociatedData(C_D4, doctor.id(), idHpc, tD4), inner, env.random());
        step = Step.AWAIT_EMR;
        return new EmrRequest(cD4, tD4);
    }

    /** Search step 7 (seed 000, eq. 48): {@code M_EMR = D_SEK2(C_HPC2)}. */
    public byte[] readEmr(EmrDelivery delivery) throws ProtocolException {
        requireStep(Step.AWAIT_EMR);
        env.freshness().requireFresh(delivery.tHpc2());
        // (M_EMR‖T_HPC2) = D_SEK2(C_HPC2)  (seed 000, eq. 48)
        byte[] plain = Aead.open(sek2, new AssociatedData(C_HPC2, hpc.partyId(), doctor.id(), delivery.tHpc2()), delivery.cHpc2());
        LabelledDecoder d = LabelledDecoder.open(plain, C_HPC2 + "/plain");
        byte[] emr = d.bytes();
        long t = d.int64();
        d.finish();
        if (t != delivery.tHpc2()) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "inner and outer T_HPC2 differ");
        }
        env.freshness().requireFirstSeen("EMR-AUTH/D/" + doctor.id() + "/EmrDelivery", ContentId.ofAuthenticatedEncoding(delivery.encode()), delivery.tHpc2());
        step = Step.DONE;
        return emr;
    }

    /** {@code SEK2} once confirmed. */
    public SecretBytes sessionKey() {
        if (sek2 == null) {
            throw new IllegalStateException("SEK2 not established.");
        }
        return sek2;
    }

    /** {@code ID_HPC} learned from the PC. */
    public String hospitalId() {
        if (hpc == null) {
            throw new IllegalStateException("Location not yet known.");
        }
        return hpc.partyId();
    }

    private void requireStep(Step expected) {
        if (step != expected) {
            throw new IllegalStateException("EMR search is at " + step + ", not " + expected);
        }
    }

    static byte[] copy(byte[] b) {
        return Arrays.copyOf(b, b.length);
    }

    @Override
    public String toString() {
        return "DoctorEmrSearch[" + doctor.id() + ", " + step + "]";
    }
}
