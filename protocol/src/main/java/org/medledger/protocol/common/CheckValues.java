package org.medledger.protocol.common;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Check values of PROTOCOLS.md §0 ({@code CHK}, {@code M_ap}, {@code M_amc}, {@code MAC}):
 * HMAC-SHA256 over the labelled encoding, keyed by a session or shared secret; SHA-256 of
 * the labelled encoding where no key exists. Verification is constant time.
 */
public final class CheckValues {

    /** Length of every check value. */
    public static final int LENGTH = 32;

    private CheckValues() {
    }

    /** {@code HMAC-SHA256(key, enc(label, fields))}. */
    public static byte[] mac(SecretBytes key, LabelledEncoder message) {
        Objects.requireNonNull(key, "Key is required.");
        Objects.requireNonNull(message, "Message is required.");
        byte[] k = key.reveal();
        try {
            HMac h = new HMac(new SHA256Digest());
            h.init(new KeyParameter(k));
            byte[] m = message.toByteArray();
            h.update(m, 0, m.length);
            byte[] out = new byte[LENGTH];
            h.doFinal(out, 0);
            return out;
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    /** {@code SHA-256(enc(label, fields))}, for checks without a shared key. */
    public static byte[] digest(LabelledEncoder message) {
        return HashToScalar.sha256().digest(message.toByteArray());
    }

    /**
     * Requires {@code received == HMAC(key, message)} in constant time.
     *
     * @throws ProtocolException {@link Reason#KEY_CONFIRMATION_FAILED} on mismatch
     */
    public static void requireMac(SecretBytes key, LabelledEncoder message, byte[] received) throws ProtocolException {
        requireEqual(mac(key, message), received);
    }

    /** Requires {@code received == SHA-256(message)} in constant time. */
    public static void requireDigest(LabelledEncoder message, byte[] received) throws ProtocolException {
        requireEqual(digest(message), received);
    }

    /** Constant-time equality of two check values. */
    public static void requireEqual(byte[] expected, byte[] received) throws ProtocolException {
        if (received == null || !MessageDigest.isEqual(expected, received)) {
            throw new ProtocolException(Reason.KEY_CONFIRMATION_FAILED, "check value mismatch");
        }
    }
}
