package org.medledger.protocol.emrauth;

import java.util.Arrays;

import org.medledger.protocol.common.ContentId;
import org.medledger.protocol.common.Aead;
import org.medledger.protocol.common.AssociatedData;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;

/**
 * The HPC's side of one EMR access run, created by
 * {@link HospitalPrivateCloud#acceptAccessRequest(HospitalAccessRequest)} with {@code SEK2}.
 * One release per session.
 */
public final class HospitalAccessSession {

    private final HospitalPrivateCloud hpc;
    private final Environment env;
    private final String idD;
    private final String idP;
    private final String idDE;
    private final byte[] certD;
    private final SecretBytes sek2;
    private final HospitalAccessResponse response;
    private boolean released;

    HospitalAccessSession(HospitalPrivateCloud hpc, String idD, String idP, String idDE, byte[] certD, SecretBytes sek2,
                          HospitalAccessResponse response) {
        this.hpc = hpc;
        this.env = hpc.env();
        this.idD = idD;
        this.idP = idP;
        this.idDE = idDE;
        this.certD = certD.clone();
        this.sek2 = sek2;
        this.response = response;
    }

    /** {@code (C_HPC1, Sig_HPC1, T_HPC1)} for the doctor. */
    public HospitalAccessResponse response() {
        return response;
    }

    public String doctorId() {
        return idD;
    }

    /** {@code ID_P} from {@code C_D3}: whose record this session asks for (the access entry names it). */
    public String patientId() {
        return idP;
    }

    /** {@code ID_DE} from {@code C_D3}: the department whose record, and whose consent, this session is about. */
    public String departmentId() {
        return idDE;
    }

    /** {@code SEK2} (tests; session persistence). */
    public SecretBytes sessionKey() {
        return sek2;
    }

    /**
     * Search step 6 (seed 000, eq. 46–47): decrypts {@code C_D4}, checks {@code Cert_D}
     * again, requires the patient's consent for this doctor and department {@code ID_DE}, and
     * releases {@code C_HPC2 = E_SEK2(M_EMR‖T_HPC2)} with that department's latest EMR.
     *
     * @throws ProtocolException {@link Reason#NOT_AUTHORIZED} without consent,
     *         {@link Reason#UNKNOWN_PARTY} if no record exists, or a check reason
     */
    public EmrRelease release(EmrRequest request, ConsentPolicy consent, EmrSource source) throws ProtocolException {
        if (released) {
            throw new IllegalStateException("EMR already released in this session.");
        }
        env.freshness().requireFresh(request.tD4());
        // (ID_P‖ID_D‖T_D4‖Cert_D) = D_SEK2(C_D4)  (seed 000, eq. 46)
        byte[] plain = Aead.open(sek2, new AssociatedData(DoctorEmrSearch.C_D4, idD, hpc.id(), request.tD4()), request.cD4());
        LabelledDecoder d = LabelledDecoder.open(plain, DoctorEmrSearch.C_D4 + "/plain");
        String p = d.utf8();
        String doc = d.utf8();
        long t = d.int64();
        byte[] cert = d.bytes();
        d.finish();
        if (!p.equals(idP) || !doc.equals(idD) || t != request.tD4() || !Arrays.equals(cert, certD)) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "C_D4 fields do not match the session");
        }
        // Cert_D is legal (still: it may have been revoked since step 3)
        hpc.requireTrust().certificates().requireLegal(cert, idD);
        env.freshness().requireFirstSeen("EMR-AUTH/HPC/" + hpc.id() + "/EmrRequest", ContentId.ofAuthenticatedEncoding(request.encode()), request.tD4());
        // Authorize: the patient's consent for this doctor and department is on the ledger  (PROTOCOLS.md §1 step 6)
        if (!consent.permits(idP, idD, idDE)) {
            throw new ProtocolException(Reason.NOT_AUTHORIZED, "no patient consent for this doctor and department");
        }
        byte[] emr = source.latest(idP, idDE)
                .orElseThrow(() -> new ProtocolException(Reason.UNKNOWN_PARTY, "no EMR for this patient and department"));
        long tHpc2 = env.freshness().now();
        // C_HPC2 = E_SEK2(M_EMR‖T_HPC2)  (seed 000, eq. 47)
        byte[] inner = LabelledEncoder.of(DoctorEmrSearch.C_HPC2 + "/plain").bytes(emr).int64(tHpc2).toByteArray();
        byte[] c = Aead.seal(sek2, new AssociatedData(DoctorEmrSearch.C_HPC2, hpc.id(), idD, tHpc2), inner, env.random());
        Arrays.fill(inner, (byte) 0);
        released = true;
        return new EmrRelease(new EmrDelivery(c, tHpc2), new EmrAccessRecord(hpc.id(), idP, idD, tHpc2));
    }

    private static final String STATE = "EMR-AUTH/HospitalAccessSession";

    /**
     * The session's state sealed with {@code sealer}, so that the server can keep it between
     * step 4 and step 6 without holding this object (or {@code SEK2}) in memory.
     */
    public byte[] export(org.medledger.protocol.common.SessionSealer sealer, String sessionId) {
        if (released) {
            throw new IllegalStateException("Session already used.");
        }
        byte[] state = LabelledEncoder.of(STATE).utf8(idD).utf8(idP).utf8(idDE).bytes(certD).secret(sek2).bytes(response.encode()).toByteArray();
        try {
            return sealer.seal(STATE, sessionId, state);
        } finally {
            Arrays.fill(state, (byte) 0);
        }
    }

    static HospitalAccessSession resume(HospitalPrivateCloud hpc, org.medledger.protocol.common.SessionSealer sealer, String sessionId,
                                        byte[] sealed) throws ProtocolException {
        byte[] state = sealer.open(STATE, sessionId, sealed);
        try {
            LabelledDecoder d = LabelledDecoder.open(state, STATE);
            String idD = d.utf8();
            String idP = d.utf8();
            String idDE = d.utf8();
            byte[] cert = d.bytes();
            SecretBytes key = d.secretBytes();
            HospitalAccessResponse resp = HospitalAccessResponse.decode(hpc.env().curve(), d.bytes());
            d.finish();
            return new HospitalAccessSession(hpc, idD, idP, idDE, cert, key, resp);
        } finally {
            Arrays.fill(state, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "HospitalAccessSession[" + hpc.id() + " -> " + idD + ", released=" + released + "]";
    }
}
