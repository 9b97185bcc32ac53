package org.medledger.protocol.interhospital;

import java.util.Arrays;
import java.util.Objects;

import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.ProtocolException;

/**
 * The patient's relation to a hospital on the ledger: the ledger's {@code consent.grant} of
 * {@code patientId} to {@code hospitalId} with scope {@value #SCOPE} until {@code expiry},
 * submitted and signed by the patient's device. A hospital's {@code mrins} attaches a record to
 * the patient only while this grant holds (the paper let any hospital attach a record to any
 * patient).
 */
public record TreatmentConsent(String patientId, String hospitalId, long expiry) implements ContractPayload {

    /** The function of the ledger's {@code consent} contract. */
    public static final String CONTRACT = "grant";
    /** The consent scope of a treatment relation. */
    public static final String SCOPE = "inter-hospital/treatment";

    public TreatmentConsent {
        Objects.requireNonNull(patientId, "Patient id is required.");
        Objects.requireNonNull(hospitalId, "Hospital id is required.");
    }

    @Override
    public String contract() {
        return CONTRACT;
    }

    @Override
    public byte[] encode() {
        return Contracts.encoder(CONTRACT).utf8(patientId).utf8(hospitalId).int64(expiry).toByteArray();
    }

    public static TreatmentConsent decode(byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, Contracts.PREFIX + CONTRACT);
        TreatmentConsent c = new TreatmentConsent(d.utf8(), d.utf8(), d.int64());
        d.finish();
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TreatmentConsent c && Arrays.equals(c.encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }
}
