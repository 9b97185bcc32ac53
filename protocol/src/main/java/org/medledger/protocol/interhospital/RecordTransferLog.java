package org.medledger.protocol.interhospital;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.ProtocolException;

/**
 * The ledger record of an inter-hospital release (erratum 3): from which hospital to which,
 * for which patient and records, under which patient authorization (its SHA-256), when.
 */
public record RecordTransferLog(String fromHospital, String toHospital, String patientId, List<String> diagnosisIds,
                                byte[] authorizationDigest, long transferredAt) implements ContractPayload {

    public static final String CONTRACT = "mrxfer";

    public RecordTransferLog {
        Objects.requireNonNull(fromHospital, "Source hospital is required.");
        Objects.requireNonNull(toHospital, "Target hospital is required.");
        Objects.requireNonNull(patientId, "Patient id is required.");
        diagnosisIds = List.copyOf(diagnosisIds);
        authorizationDigest = Objects.requireNonNull(authorizationDigest, "Authorization digest is required.").clone();
    }

    @Override
    public byte[] authorizationDigest() {
        return authorizationDigest.clone();
    }

    @Override
    public String contract() {
        return CONTRACT;
    }

    @Override
    public byte[] encode() {
        return Contracts.list(Contracts.encoder(CONTRACT).utf8(fromHospital).utf8(toHospital).utf8(patientId), diagnosisIds)
                .bytes(authorizationDigest).int64(transferredAt).toByteArray();
    }

    public static RecordTransferLog decode(byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, Contracts.PREFIX + CONTRACT);
        RecordTransferLog r = new RecordTransferLog(d.utf8(), d.utf8(), d.utf8(), Contracts.readList(d), d.bytes(32), d.int64());
        d.finish();
        return r;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordTransferLog r && Arrays.equals(r.encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }
}
