package org.medledger.protocol.interhospital;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.medledger.protocol.common.Aead;
import org.medledger.protocol.common.AssociatedData;
import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.ContentId;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;

/**
 * A hospital's side of one session it did not start: a patient's visit (seed 002, §4.1 steps
 * 2 and 4; §4.2 HPB's part) or another hospital's record request (seed 002, eq. 51–56, 64–67).
 */
public final class HospitalSession {

    static final String C_H = "INTER-HOSPITAL/eq30/c_H";
    static final String SIG_H = "INTER-HOSPITAL/eq31/Sig_H";
    static final String TRANSFER_REQUEST = "INTER-HOSPITAL/eq62/request";
    static final String C_HPA2 = "INTER-HOSPITAL/eq66/c_HPA2";
    static final String SIG_HPA2 = "INTER-HOSPITAL/eq67/Sig_HPA2";

    private final Hospital hospital;
    private final Environment env;
    private final Handshake.Responder hs;
    private VisitRequest visit;
    private boolean done;

    HospitalSession(Hospital hospital, Handshake.Responder hs) {
        this.hospital = hospital;
        this.env = hospital.party().env();
        this.hs = hs;
    }

    static LabelledEncoder signedRecord(String diagnosisId, byte[] emr, byte[] cert, String patientId) {
        return LabelledEncoder.of(SIG_H).utf8(diagnosisId).bytes(emr).bytes(cert).utf8(patientId);
    }

    static LabelledEncoder transferPlain(String patientId, List<ReceivedRecord> records) {
        LabelledEncoder e = LabelledEncoder.of(C_HPA2 + "/plain").utf8(patientId).int32(records.size());
        for (ReceivedRecord r : records) {
            e.utf8(r.diagnosisId()).bytes(r.emr());
        }
        return e;
    }

    /**
     * What {@code Sig_HPA2} covers: the records, both hospitals, the patient, the digest of the
     * patient's authorization this transfer answers and its timestamp, so that each transfer's
     * signed content (its replay identity at hospital B) is its own: the same records released
     * again under a fresh authorization are a new transfer, not a replay.
     */
    static LabelledEncoder signedTransfer(String holder, String recipient, String patientId, byte[] authorizationDigest, long ts,
                                          List<ReceivedRecord> records) {
        LabelledEncoder e = LabelledEncoder.of(SIG_HPA2).utf8(holder).utf8(recipient).utf8(patientId).bytes(authorizationDigest)
                .int64(ts).int32(records.size());
        for (ReceivedRecord r : records) {
            e.utf8(r.diagnosisId()).bytes(r.emr());
        }
        return e;
    }

    /** Step 2: {@code (ID_H, R_H, T_H, CHK)}. */
    public HandshakeChallenge challenge() {
        return hs.challenge();
    }

    /** The authenticated initiator's identity (after step 2). */
    public String peerId() {
        return hs.initiatorId();
    }

    /** {@code SEK} (tests; session persistence). */
    public SecretBytes sessionKey() {
        return hs.key();
    }

    /**
     * Step 4, first part (seed 002, eq. 28–29): confirms the patient, checks {@code ptchk}
     * and returns what the patient sent.
     */
    public VisitRequest acceptVisit(HandshakeConfirm confirm) throws ProtocolException {
        if (!hs.initiatorRole().equals(InterHospitalRoles.PATIENT)) {
            throw new ProtocolException(Reason.NOT_AUTHORIZED, "initiator is not a patient");
        }
        byte[] payload = hs.onConfirm(confirm);
        VisitRequest v = VisitRequest.decode(env.curve(), payload);
        if (!v.patientId().equals(hs.initiatorId())) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "visit is for another patient");
        }
        this.visit = v;
        return v;
    }

    /**
     * Step 4, second part (seed 002, eq. 30–31, 70–71): after diagnosis, sends
     * {@code c_H = E_SEK(EMR, Cert_H)}, {@code Sig_H = S_SK_H(EMR, Cert_H)} and returns the
     * {@code mrins} and {@code ptins} calls.
     */
    public RecordIssue issueRecord(String diagnosisId, byte[] emr) throws ProtocolException {
        if (visit == null) {
            throw new IllegalStateException("No confirmed patient visit.");
        }
        if (done) {
            throw new IllegalStateException("Record already issued in this session.");
        }
        String idPat = hs.initiatorId();
        byte[] cert = hospital.certificate().encode();
        long ts = env.freshness().now();
        byte[] plain = LabelledEncoder.of(C_H + "/plain").utf8(diagnosisId).bytes(emr).bytes(cert).toByteArray();
        // c_HPA = E_SEK_AP(EMR, Cert_HPA)  (seed 002, eq. 30)
        byte[] c = Aead.seal(hs.key(), new AssociatedData(C_H, hospital.id(), idPat, ts), plain, env.random());
        // Sig_HPA = S_SK_HPA(EMR, Cert_HPA)  (seed 002, eq. 31)
        byte[] sig = Ecdsa.sign(hospital.keys().signing(), signedRecord(diagnosisId, emr, cert, idPat));
        done = true;
        MedicalRecordInsert mrins = new MedicalRecordInsert(diagnosisId, idPat, hospital.id(),
                CheckValues.digest(LabelledEncoder.of("INTER-HOSPITAL/EMR-digest").bytes(emr)), ts);
        PatientInsert ptins = new PatientInsert(idPat, "", List.of(diagnosisId));
        return new RecordIssue(new RecordDelivery(c, sig, ts), mrins, ptins);
    }

    /**
     * As hospital A (seed 002, eq. 64–67; erratum 3): confirms hospital B, then releases the
     * records only under a valid patient-signed authorization naming B as recipient and this
     * hospital as holder, unexpired, for records the ledger maps to this patient here; logs
     * the transfer.
     *
     * @throws ProtocolException {@link Reason#NOT_AUTHORIZED} without a valid authorization,
     *         {@link Reason#BAD_SIGNATURE} if the patient did not sign it
     */
    public RecordRelease acceptTransferRequest(HandshakeConfirm confirm, RecordSource source) throws ProtocolException {
        if (!hs.initiatorRole().equals(InterHospitalRoles.HOSPITAL)) {
            throw new ProtocolException(Reason.NOT_AUTHORIZED, "initiator is not a hospital");
        }
        if (done) {
            throw new IllegalStateException("Transfer already handled in this session.");
        }
        byte[] payload = hs.onConfirm(confirm);
        // message = D_SEK_AB(c_HPB): the request with the patient's authorization  (seed 002, eq. 65)
        LabelledDecoder d = LabelledDecoder.open(payload, TRANSFER_REQUEST);
        byte[] authBytes = d.bytes();
        d.finish();
        if (authBytes.length == 0) {
            throw new ProtocolException(Reason.NOT_AUTHORIZED, "no patient authorization");
        }
        ReleaseAuthorization auth = ReleaseAuthorization.decode(env.curve(), authBytes);
        String recipient = hs.initiatorId();
        if (!auth.recipientId().equals(recipient) || !auth.holderId().equals(hospital.id())) {
            throw new ProtocolException(Reason.NOT_AUTHORIZED, "authorization is for other hospitals");
        }
        long now = env.freshness().now();
        if (now > auth.expiresAt()) {
            throw new ProtocolException(Reason.NOT_AUTHORIZED, "authorization expired");
        }
        DirectoryEntry patient = hospital.party().trust().resolve(InterHospitalRoles.SCHEME, InterHospitalRoles.PATIENT,
                auth.patientId(), now);
        ContentId authId = auth.verify(patient.signingKey());
        List<ReceivedRecord> records = new ArrayList<>();
        for (String id : auth.diagnosisIds()) {
            if (!hospital.ledger().holds(new MedicalRecordCheck(id, hospital.id(), auth.patientId()))) {
                throw new ProtocolException(Reason.NOT_AUTHORIZED, "record not mapped to this patient here");
            }
            Optional<byte[]> emr = source.find(auth.patientId(), id);
            records.add(new ReceivedRecord(hospital.id(), id,
                    emr.orElseThrow(() -> new ProtocolException(Reason.UNKNOWN_PARTY, "record not held here"))));
        }
        // the authorization releases once (not once per session until its expiry): its body is recorded
        env.freshness().requireFirstUse("INTER-HOSPITAL/" + hospital.id() + "/ReleaseAuthorization", authId, auth.expiresAt());
        long ts = env.freshness().now();
        // c_HPA2 = E_SEK_AB(EMR)  (seed 002, eq. 66)
        byte[] c = Aead.seal(hs.key(), new AssociatedData(C_HPA2, hospital.id(), recipient, ts),
                transferPlain(auth.patientId(), records).toByteArray(), env.random());
        // Sig_HPA2 = S_SK_HPA(EMR)  (seed 002, eq. 67)
        byte[] sig = Ecdsa.sign(hospital.keys().signing(), signedTransfer(hospital.id(), recipient, auth.patientId(), auth.digest(), ts,
                records));
        done = true;
        return new RecordRelease(new RecordTransfer(c, sig, ts),
                new RecordTransferLog(hospital.id(), recipient, auth.patientId(), auth.diagnosisIds(), auth.digest(), ts));
    }

    private static final String STATE = "INTER-HOSPITAL/HospitalSession";

    /**
     * The session's state sealed with {@code sealer}, so that the server can keep it between
     * steps 2 and 4 (or between the visit and the record) without holding {@code SEK} in memory.
     */
    public byte[] export(org.medledger.protocol.common.SessionSealer sealer, String sessionId) {
        if (done) {
            throw new IllegalStateException("Session already used.");
        }
        LabelledEncoder e = hs.writeState(LabelledEncoder.of(STATE));
        byte[] state = e.bytes(visit == null ? new byte[0] : visit.encode()).toByteArray();
        try {
            return sealer.seal(STATE, sessionId, state);
        } finally {
            java.util.Arrays.fill(state, (byte) 0);
        }
    }

    static HospitalSession resume(Hospital hospital, org.medledger.protocol.common.SessionSealer sealer, String sessionId, byte[] sealed)
            throws ProtocolException {
        byte[] state = sealer.open(STATE, sessionId, sealed);
        try {
            LabelledDecoder d = LabelledDecoder.open(state, STATE);
            Handshake.Responder r = Handshake.Responder.readState(hospital.party().env(), hospital.ledger(), d);
            byte[] v = d.bytes();
            d.finish();
            HospitalSession s = new HospitalSession(hospital, r);
            if (v.length > 0) {
                s.visit = VisitRequest.decode(hospital.party().env().curve(), v);
            }
            return s;
        } finally {
            java.util.Arrays.fill(state, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "HospitalSession[" + hospital.id() + "]";
    }
}
