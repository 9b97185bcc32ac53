package org.medledger.protocol.common;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Session-key derivation of PROTOCOLS.md §0: HKDF-SHA256 (RFC 5869) with the labelled
 * encoding of the inputs as IKM, an empty salt, info = the label, 32-byte output. Used
 * wherever the papers write {@code SEK = h(X‖Y)} or {@code H2(·)}.
 */
public final class Kdf {

    /** Length of a derived session key. */
    public static final int KEY_LENGTH = 32;

    private Kdf() {
    }

    /** {@code HKDF-SHA256(ikm = enc(label, fields), salt = "", info = label)}. */
    public static SecretBytes deriveKey(LabelledEncoder inputs) {
        Objects.requireNonNull(inputs, "Inputs are required.");
        byte[] ikm = inputs.toByteArray();
        try {
            return hkdf(ikm, new byte[0], inputs.label().getBytes(StandardCharsets.UTF_8), KEY_LENGTH);
        } finally {
            Arrays.fill(ikm, (byte) 0);
        }
    }

    /** Plain RFC 5869 HKDF-SHA256. */
    public static SecretBytes hkdf(byte[] ikm, byte[] salt, byte[] info, int length) {
        HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
        g.init(new HKDFParameters(ikm, salt, info));
        byte[] out = new byte[length];
        g.generateBytes(out, 0, length);
        return SecretBytes.adopt(out);
    }
}
