package org.medledger.protocol.interhospital;

import java.util.Objects;

import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.ProtocolException;

/**
 * {@code hains}/{@code hbins(hospital id, hospital detail)} (seed 002, §3.5): one
 * hospital-insert contract serves every hospital.
 */
public record HospitalInsert(String hospitalId, String detail) implements ContractPayload {

    public static final String CONTRACT = "hains";

    public HospitalInsert {
        Objects.requireNonNull(hospitalId, "Hospital id is required.");
        Objects.requireNonNull(detail, "Detail is required.");
    }

    @Override
    public String contract() {
        return CONTRACT;
    }

    @Override
    public byte[] encode() {
        return Contracts.encoder(CONTRACT).utf8(hospitalId).utf8(detail).toByteArray();
    }

    public static HospitalInsert decode(byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, Contracts.PREFIX + CONTRACT);
        HospitalInsert h = new HospitalInsert(d.utf8(), d.utf8());
        d.finish();
        return h;
    }
}
