package org.medledger.protocol.group;

import java.util.Arrays;
import java.util.Objects;

import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * The two messages of the pairwise authentication (seed 004 §III-D1), one shape with a step:
 * <ul>
 *   <li>{@link Step#REQUEST}, step 1, U_i → U_{i+1}: (C_i, T_{r_i}(x), MAC_{i,i+1});</li>
 *   <li>{@link Step#RESPONSE}, step 2, U_{i+1} → U_i: (C_{i+1}, T_{r_{i+1}}(x), MAC_{i+1,i}).</li>
 * </ul>
 * Each step has its own encoding label, so a request never decodes as a response.
 */
public record AuthenticationMessage(Step step, String initiator, String responder, byte[] c, ChebyshevValue tR,
        byte[] mac) {

    /** Which message of the exchange; the label separates their encodings. */
    public enum Step {
        REQUEST("GROUP-AGG/AuthenticationRequest/v1", "->"),
        RESPONSE("GROUP-AGG/AuthenticationResponse/v1", "<-");

        final String label;
        private final String arrow;

        Step(String label, String arrow) {
            this.label = label;
            this.arrow = arrow;
        }
    }

    public AuthenticationMessage {
        Objects.requireNonNull(step, "step is required");
        GroupRoster.requireId(initiator);
        GroupRoster.requireId(responder);
        c = Objects.requireNonNull(c, "C is required").clone();
        Objects.requireNonNull(tR, "T_r(x) is required");
        mac = Objects.requireNonNull(mac, "MAC is required").clone();
    }

    /** Step 1's message. */
    public static AuthenticationMessage request(String initiator, String responder, byte[] c, ChebyshevValue tR,
            byte[] mac) {
        return new AuthenticationMessage(Step.REQUEST, initiator, responder, c, tR, mac);
    }

    /** Step 2's message. */
    public static AuthenticationMessage response(String initiator, String responder, byte[] c, ChebyshevValue tR,
            byte[] mac) {
        return new AuthenticationMessage(Step.RESPONSE, initiator, responder, c, tR, mac);
    }

    @Override
    public byte[] c() {
        return c.clone();
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }

    /** Refuses a message of the other step (a response where a request is expected, or the reverse). */
    AuthenticationMessage require(Step expected) throws ProtocolException {
        if (step != expected) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "expected the authentication " + expected.name().toLowerCase());
        }
        return this;
    }

    public byte[] toBytes(ChebyshevParameters params) {
        return LabelledEncoder.of(step.label).utf8(initiator).utf8(responder).bytes(c).bytes(tR.encode(params)).bytes(mac)
                .toByteArray();
    }

    /** Strict decoding of a message of the given step; T_r(x) is validated. */
    public static AuthenticationMessage decode(Step step, Chebyshev t, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, step.label);
        String initiator = d.utf8();
        String responder = d.utf8();
        byte[] c = d.boundedBytes(4096);
        ChebyshevValue tR = t.decodeValue(d.bytes());
        byte[] mac = d.bytes(CheckValues.LENGTH);
        d.finish();
        try {
            return new AuthenticationMessage(step, initiator, responder, c, tR, mac);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "invalid member id");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthenticationMessage r && step == r.step && initiator.equals(r.initiator)
                && responder.equals(r.responder) && Arrays.equals(c, r.c) && tR.equals(r.tR) && Arrays.equals(mac, r.mac);
    }

    @Override
    public int hashCode() {
        return Objects.hash(step, initiator, responder, tR, Arrays.hashCode(c));
    }

    @Override
    public String toString() {
        return "Authentication" + (step == Step.REQUEST ? "Request[" : "Response[") + initiator + " " + step.arrow + " "
                + responder + "]";
    }
}
