package org.medledger.protocol.group;

import java.util.Arrays;
import java.util.Objects;

import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/** Step 3, U_i → U_{i+1}: MAC'_{i,i+1}  (seed 004 §III-D1). */
public record AuthenticationAck(String initiator, String responder, byte[] mac) {

    static final String LABEL = "GROUP-AGG/AuthenticationAck/v1";

    public AuthenticationAck {
        GroupRoster.requireId(initiator);
        GroupRoster.requireId(responder);
        mac = Objects.requireNonNull(mac, "MAC' is required").clone();
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }

    public byte[] toBytes() {
        return LabelledEncoder.of(LABEL).utf8(initiator).utf8(responder).bytes(mac).toByteArray();
    }

    public static AuthenticationAck decode(byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        String initiator = d.utf8();
        String responder = d.utf8();
        byte[] mac = d.bytes(CheckValues.LENGTH);
        d.finish();
        try {
            return new AuthenticationAck(initiator, responder, mac);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "invalid member id");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthenticationAck a && initiator.equals(a.initiator) && responder.equals(a.responder)
                && Arrays.equals(mac, a.mac);
    }

    @Override
    public int hashCode() {
        return Objects.hash(initiator, responder, Arrays.hashCode(mac));
    }

    @Override
    public String toString() {
        return "AuthenticationAck[" + initiator + " -> " + responder + "]";
    }
}
