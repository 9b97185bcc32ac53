package org.medledger.protocol.group;

import java.util.Objects;

import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;

/**
 * SI_X with the producer's random r_X stored in it (seed 004 §III-C): the plaintext of
 * s_X = E_PK_P(SI_X, H(r_X)). Sensitive: held as {@link SecretBytes}, never printed.
 */
public final class SensitiveInformation {

    static final String LABEL = "GROUP-AGG/SI/v1";

    private final SecretBytes content;
    private final SecretBytes r;

    SensitiveInformation(byte[] content, byte[] r) {
        this.content = SecretBytes.copyOf(Objects.requireNonNull(content, "SI is required"));
        this.r = SecretBytes.copyOf(Objects.requireNonNull(r, "r is required"));
    }

    /** The sensitive content (a copy; the caller wipes it). */
    public byte[] reveal() {
        return content.reveal();
    }

    /** H(r_X). */
    byte[] rHash() {
        return rHash(r.reveal());
    }

    static byte[] rHash(byte[] r) {
        // H(r_X)  (seed 004 §III-C)
        return CheckValues.digest(LabelledEncoder.of("GROUP-AGG/H(r)").bytes(r));
    }

    byte[] encode() {
        return LabelledEncoder.of(LABEL).secret(content).secret(r).toByteArray();
    }

    static SensitiveInformation decode(byte[] plain) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(plain, LABEL);
        byte[] content = d.bytes();
        byte[] r = d.bytes(32);
        d.finish();
        try {
            return new SensitiveInformation(content, r);
        } finally {
            java.util.Arrays.fill(content, (byte) 0);
            java.util.Arrays.fill(r, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "SensitiveInformation[redacted]";
    }
}
