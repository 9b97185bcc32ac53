package org.medledger.protocol.interhospital;

import java.util.ArrayList;
import java.util.List;

import org.medledger.protocol.common.ContentId;
import org.medledger.protocol.common.Aead;
import org.medledger.protocol.common.AssociatedData;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;

/** Hospital B's session with the holding hospital A (seed 002, eq. 50–69). */
public final class HospitalLink {

    private final Hospital hospital;
    private final Environment env;
    private final Handshake.Initiator hs;
    private String patientId;
    private List<String> requested;
    private byte[] authorizationDigest;
    private boolean received;

    HospitalLink(Hospital hospital, Handshake.Initiator hs) {
        this.hospital = hospital;
        this.env = hospital.party().env();
        this.hs = hs;
    }

    /** {@code (ID_HPB, R_HPB, T_HPB2)}, encrypted to hospital A  (seed 002, eq. 50). */
    public HandshakeHello hello() {
        return hs.hello();
    }

    /**
     * Seed 002, eq. 57–63: confirms {@code SEK_AB} and sends
     * {@code c_HPB = E_SEK_AB(request + authorization)} with {@code CHK_AB}.
     */
    public HandshakeConfirm requestRecords(HandshakeChallenge challenge, ReleaseAuthorization authorization) throws ProtocolException {
        hs.onChallenge(challenge);
        this.patientId = authorization.patientId();
        this.requested = authorization.diagnosisIds();
        this.authorizationDigest = authorization.digest();
        return hs.confirm(LabelledEncoder.of(HospitalSession.TRANSFER_REQUEST).bytes(authorization.encode()).toByteArray());
    }

    /**
     * Seed 002, eq. 68–69: decrypts {@code c_HPA2}, verifies {@code Sig_HPA2} with hospital
     * A's key and checks {@code mrchk} for every record.
     */
    public List<ReceivedRecord> acceptTransfer(RecordTransfer transfer) throws ProtocolException {
        if (received || patientId == null) {
            throw new IllegalStateException("No outstanding request.");
        }
        String holder = hs.responderId();
        env.freshness().requireFresh(transfer.ts());
        // EMR = D_SEK_AB(c_HPA2)  (seed 002, eq. 68)
        byte[] plain = Aead.open(hs.key(), new AssociatedData(HospitalSession.C_HPA2, holder, hospital.id(), transfer.ts()), transfer.cHpa2());
        LabelledDecoder d = LabelledDecoder.open(plain, HospitalSession.C_HPA2 + "/plain");
        String p = d.utf8();
        int n = d.int32();
        if (!p.equals(patientId) || n != requested.size()) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "transfer does not match the request");
        }
        List<ReceivedRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = d.utf8();
            byte[] emr = d.bytes();
            if (!id.equals(requested.get(i))) {
                throw new ProtocolException(Reason.MALFORMED_MESSAGE, "transfer does not match the request");
            }
            records.add(new ReceivedRecord(holder, id, emr));
        }
        d.finish();
        // EMR ?= V_PK_HPA(Sig_HPA2)  (seed 002, eq. 69)
        ContentId signedTransfer = Ecdsa.verify(hs.responder().signingKey(), HospitalSession.signedTransfer(holder, hospital.id(), patientId,
                authorizationDigest, transfer.ts(), records), transfer.sigHpa2());
        env.freshness().requireFirstSeen("INTER-HOSPITAL/" + hospital.id() + "/RecordTransfer", signedTransfer, transfer.ts());
        for (ReceivedRecord r : records) {
            // mrchk: the record exists on the ledger, held by A for this patient
            Handshake.requireLedger(hospital.ledger(), new MedicalRecordCheck(r.diagnosisId(), holder, patientId));
        }
        received = true;
        return records;
    }

    /** {@code SEK_AB} once established. */
    public SecretBytes sessionKey() {
        return hs.key();
    }
}
