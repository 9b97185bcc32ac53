package org.medledger.protocol.abe;

import java.util.Objects;

import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * The public description of a medical record that the block producer writes on the ledger
 * beside the record's cloud address (seed 003, Fig. 3 step 5): which record, whose, made
 * by which hospital, and a short public summary.
 */
public record RecordDescriptor(String recordId, String patientId, String hospitalId, String summary) {

    static final String LABEL = "ABE-CHAIN/RecordDescriptor/v1";
    static final int MAX_FIELD = 1024;

    public RecordDescriptor {
        recordId = requireText(recordId, "record id");
        patientId = AccessPolicy.foldAttribute(requireText(patientId, "patient id"));
        hospitalId = AccessPolicy.foldAttribute(requireText(hospitalId, "hospital id"));
        summary = Objects.requireNonNull(summary, "summary is required");
        if (summary.length() > MAX_FIELD) {
            throw new IllegalArgumentException("summary is longer than " + MAX_FIELD + " characters");
        }
    }

    private static String requireText(String value, String what) {
        Objects.requireNonNull(value, what + " is required");
        if (value.isBlank() || value.length() > MAX_FIELD) {
            throw new IllegalArgumentException(what + " must be 1.." + MAX_FIELD + " characters");
        }
        return value;
    }

    LabelledEncoder encoder() {
        return LabelledEncoder.of(LABEL).utf8(recordId).utf8(patientId).utf8(hospitalId).utf8(summary);
    }

    public byte[] toBytes() {
        return encoder().toByteArray();
    }

    public static RecordDescriptor decode(byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        String recordId = d.utf8();
        String patientId = d.utf8();
        String hospitalId = d.utf8();
        String summary = d.utf8();
        d.finish();
        try {
            RecordDescriptor r = new RecordDescriptor(recordId, patientId, hospitalId, summary);
            if (!r.patientId.equals(patientId) || !r.hospitalId.equals(hospitalId)) {
                throw new ProtocolException(Reason.MALFORMED_MESSAGE, "descriptor identities are not in canonical form");
            }
            return r;
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "invalid record descriptor");
        }
    }
}
