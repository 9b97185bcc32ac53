package org.medledger.protocol.cloudchain;

import java.util.Objects;

import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;

/** NA → P_i on the smartcard: {@code x_i = h(HID_i‖K_NA)} (seed 001, §5.1.1 step 2). Secret. */
public record CardIssuance(SecretBytes xI) {

    static final String LABEL = "CLOUD-CHAIN/CardIssuance";

    public CardIssuance {
        Objects.requireNonNull(xI, "x_i is required.");
        if (xI.length() != CloudChainHashes.LENGTH) {
            throw new IllegalArgumentException("x_i must be 32 bytes.");
        }
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).secret(xI).toByteArray();
    }

    public static CardIssuance decode(byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] x = d.bytes(CloudChainHashes.LENGTH);
        d.finish();
        try {
            return new CardIssuance(SecretBytes.copyOf(x));
        } finally {
            java.util.Arrays.fill(x, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "CardIssuance[x_i=redacted]";
    }
}
