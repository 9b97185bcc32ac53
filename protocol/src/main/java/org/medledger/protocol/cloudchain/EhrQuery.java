package org.medledger.protocol.cloudchain;

import java.util.Arrays;

import org.medledger.protocol.common.ContentId;
import org.medledger.protocol.common.Aead;
import org.medledger.protocol.common.AssociatedData;
import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/** The medical center's side of one EHR request to the cloud server (seed 001, §5.5). */
public final class EhrQuery {

    private final MedicalCenter mc;
    private final byte[] hidI;
    private final byte[] re;
    private final EhrRequest request;
    private boolean done;

    EhrQuery(MedicalCenter mc, byte[] hidI, byte[] re, EhrRequest request) {
        this.mc = mc;
        this.hidI = hidI.clone();
        this.re = re.clone();
        this.request = request;
    }

    /** {@code <M_req, M_CR>} for the cloud server. */
    public EhrRequest request() {
        return request;
    }

    /**
     * EHR requesting step 3 (seed 001, §5.5 step 3): decrypts {@code M_E}, checks
     * {@code M_CE = h(RE‖EHR_i‖PID_j)}; on any mismatch nothing is kept.
     */
    public Ehr readResponse(EhrResponse response) throws ProtocolException {
        if (done) {
            throw new IllegalStateException("Response already read.");
        }
        String pidJ = mc.pid();
        mc.env().freshness().requireFresh(response.tE());
        byte[] plain = Aead.open(mc.kms(), new AssociatedData(MedicalCenter.M_E, MedicalCenter.CS_ID, pidJ, response.tE()), response.mE());
        Ehr ehr = Ehr.decode(plain);
        // M_CE* = h(RE‖EHR_i‖PID_j) ?= M_CE  (seed 001, §5.5 step 3)
        CheckValues.requireDigest(LabelledEncoder.of(MedicalCenter.M_CE).bytes(re).bytes(ehr.encode()).utf8(pidJ), response.mCe());
        if (!Arrays.equals(ehr.hidI(), hidI)) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "EHR of another patient");
        }
        mc.env().freshness().requireFirstSeen("CLOUD-CHAIN/MC/" + pidJ + "/EhrResponse", ContentId.ofAuthenticatedEncoding(response.encode()), response.tE());
        done = true;
        return ehr;
    }
}
