package org.medledger.protocol.group;

import java.util.Arrays;
import java.util.Objects;

import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;

/** Step 1, U_i → U_{i+1}: (C_i, T_{r_i}(x), MAC_{i,i+1})  (seed 004 §III-D1). */
public record AuthenticationRequest(String initiator, String responder, byte[] c, ChebyshevValue tR, byte[] mac) {

    static final String LABEL = "GROUP-AGG/AuthenticationRequest/v1";

    public AuthenticationRequest {
        GroupRoster.requireId(initiator);
        GroupRoster.requireId(responder);
        c = Objects.requireNonNull(c, "C_i is required").clone();
        Objects.requireNonNull(tR, "T_r(x) is required");
        mac = Objects.requireNonNull(mac, "MAC is required").clone();
    }

    @Override
    public byte[] c() {
        return c.clone();
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }

    public byte[] toBytes(ChebyshevParameters params) {
        return LabelledEncoder.of(LABEL).utf8(initiator).utf8(responder).bytes(c).bytes(tR.encode(params)).bytes(mac)
                .toByteArray();
    }

    /** Strict decoding; T_{r_i}(x) is validated. */
    public static AuthenticationRequest decode(Chebyshev t, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        String initiator = d.utf8();
        String responder = d.utf8();
        byte[] c = d.boundedBytes(4096);
        ChebyshevValue tR = t.decodeValue(d.bytes());
        byte[] mac = d.bytes(CheckValues.LENGTH);
        d.finish();
        try {
            return new AuthenticationRequest(initiator, responder, c, tR, mac);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(org.medledger.protocol.common.Reason.MALFORMED_MESSAGE, "invalid member id");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthenticationRequest r && initiator.equals(r.initiator) && responder.equals(r.responder)
                && Arrays.equals(c, r.c) && tR.equals(r.tR) && Arrays.equals(mac, r.mac);
    }

    @Override
    public int hashCode() {
        return Objects.hash(initiator, responder, tR, Arrays.hashCode(c));
    }

    @Override
    public String toString() {
        return "AuthenticationRequest[" + initiator + " -> " + responder + "]";
    }
}
