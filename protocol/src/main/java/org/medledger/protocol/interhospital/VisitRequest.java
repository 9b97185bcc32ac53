package org.medledger.protocol.interhospital;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * What the patient tells a hospital inside {@code c_PAT} (seed 002, eq. 26 and 46): the
 * symptoms, the medical index of earlier hospitals and, for a referral, the patient-signed
 * {@link ReleaseAuthorization}.
 */
public record VisitRequest(String patientId, byte[] symptoms, List<MedicalIndexEntry> index, Optional<ReleaseAuthorization> authorization) {

    static final String LABEL = "INTER-HOSPITAL/eq26/message";

    public VisitRequest {
        Objects.requireNonNull(patientId, "Patient id is required.");
        symptoms = Objects.requireNonNull(symptoms, "Symptoms are required.").clone();
        index = List.copyOf(index);
        Objects.requireNonNull(authorization, "Authorization is required (may be empty).");
    }

    @Override
    public byte[] symptoms() {
        return symptoms.clone();
    }

    byte[] encode() {
        LabelledEncoder e = LabelledEncoder.of(LABEL).utf8(patientId).bytes(symptoms).int32(index.size());
        for (MedicalIndexEntry m : index) {
            e.utf8(m.hospitalId()).utf8(m.diagnosisId());
        }
        e.bytes(authorization.map(ReleaseAuthorization::encode).orElse(new byte[0]));
        return e.toByteArray();
    }

    static VisitRequest decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        String p = d.utf8();
        byte[] s = d.bytes();
        int n = d.int32();
        if (n < 0 || n > Contracts.MAX_LIST) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "index too long");
        }
        List<MedicalIndexEntry> idx = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            idx.add(new MedicalIndexEntry(d.utf8(), d.utf8()));
        }
        byte[] a = d.bytes();
        d.finish();
        return new VisitRequest(p, s, idx, a.length == 0 ? Optional.empty() : Optional.of(ReleaseAuthorization.decode(curve, a)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VisitRequest v && java.util.Arrays.equals(v.encode(), encode());
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(encode());
    }
}
