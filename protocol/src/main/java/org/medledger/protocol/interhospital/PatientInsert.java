package org.medledger.protocol.interhospital;

import java.util.List;
import java.util.Objects;

import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.ProtocolException;

/**
 * {@code ptins(patient id, patient detail, record mapping)} (seed 002, §3.4 and §4): inserts
 * a patient at registration (empty mapping) or adds record ids to its mapping after a
 * diagnosis.
 */
public record PatientInsert(String patientId, String detail, List<String> recordMapping) implements ContractPayload {

    public static final String CONTRACT = "ptins";

    public PatientInsert {
        Objects.requireNonNull(patientId, "Patient id is required.");
        Objects.requireNonNull(detail, "Detail is required.");
        recordMapping = List.copyOf(recordMapping);
    }

    @Override
    public String contract() {
        return CONTRACT;
    }

    @Override
    public byte[] encode() {
        return Contracts.list(Contracts.encoder(CONTRACT).utf8(patientId).utf8(detail), recordMapping).toByteArray();
    }

    public static PatientInsert decode(byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, Contracts.PREFIX + CONTRACT);
        PatientInsert p = new PatientInsert(d.utf8(), d.utf8(), Contracts.readList(d));
        d.finish();
        return p;
    }
}
