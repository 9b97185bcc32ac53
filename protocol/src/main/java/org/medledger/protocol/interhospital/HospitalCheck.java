package org.medledger.protocol.interhospital;

import java.util.Objects;

import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.ProtocolException;

/** {@code hachk}/{@code hbchk(hospital id, ...)} (seed 002, after eq. 25 and 45): is the hospital registered? */
public record HospitalCheck(String hospitalId) implements ContractQuery {

    public static final String CONTRACT = "hachk";

    public HospitalCheck {
        Objects.requireNonNull(hospitalId, "Hospital id is required.");
    }

    @Override
    public String contract() {
        return CONTRACT;
    }

    @Override
    public byte[] encode() {
        return Contracts.encoder(CONTRACT).utf8(hospitalId).toByteArray();
    }

    public static HospitalCheck decode(byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, Contracts.PREFIX + CONTRACT);
        HospitalCheck q = new HospitalCheck(d.utf8());
        d.finish();
        return q;
    }
}
