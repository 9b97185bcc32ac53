package org.medledger.protocol.emrauth;

import java.util.Objects;

import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/** HPC → PC over the secure channel: {@code ID_HPC} (seed 000, HPC registration step 1). */
public record HospitalCloudRegistration(String idHpc) {

    static final String LABEL = "EMR-AUTH/HospitalCloudRegistration";

    public HospitalCloudRegistration {
        Objects.requireNonNull(idHpc, "ID_HPC is required.");
        if (idHpc.isEmpty()) {
            throw new IllegalArgumentException("ID_HPC must not be empty.");
        }
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).utf8(idHpc).toByteArray();
    }

    public static HospitalCloudRegistration decode(byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        String id = d.utf8();
        d.finish();
        if (id.isEmpty()) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "empty ID_HPC");
        }
        return new HospitalCloudRegistration(id);
    }
}
