package org.medledger.protocol.common;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import org.bouncycastle.math.ec.ECPoint;

/**
 * Strict reader for {@link LabelledEncoder} output: the label must match exactly, fields
 * are read in order, a missing field, an over-long length or trailing bytes is
 * {@link Reason#MALFORMED_MESSAGE}. Call {@link #finish()} after the last field.
 */
public final class LabelledDecoder {

    private final byte[] in;
    private int pos;

    private LabelledDecoder(byte[] in) {
        this.in = in;
    }

    /** Opens {@code encoded} and requires its label to be {@code expectedLabel}. */
    public static LabelledDecoder open(byte[] encoded, String expectedLabel) throws ProtocolException {
        Objects.requireNonNull(expectedLabel, "Expected label is required.");
        if (encoded == null) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "message is missing");
        }
        LabelledDecoder d = new LabelledDecoder(encoded);
        byte[] label = d.bytes();
        if (!Arrays.equals(label, expectedLabel.getBytes(StandardCharsets.UTF_8))) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "unexpected message label");
        }
        return d;
    }

    public byte[] bytes() throws ProtocolException {
        if (in.length - pos < 4) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "missing field");
        }
        int n = ((in[pos] & 0xff) << 24) | ((in[pos + 1] & 0xff) << 16) | ((in[pos + 2] & 0xff) << 8) | (in[pos + 3] & 0xff);
        pos += 4;
        if (n < 0 || n > LabelledEncoder.MAX_FIELD_LENGTH || n > in.length - pos) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "field length out of bounds");
        }
        byte[] v = Arrays.copyOfRange(in, pos, pos + n);
        pos += n;
        return v;
    }

    /** A field of exactly {@code length} bytes. */
    public byte[] bytes(int length) throws ProtocolException {
        byte[] v = bytes();
        if (v.length != length) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "field has wrong length");
        }
        return v;
    }

    /** A field of at most {@code maxLength} bytes. */
    public byte[] boundedBytes(int maxLength) throws ProtocolException {
        byte[] v = bytes();
        if (v.length > maxLength) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "field too long");
        }
        return v;
    }

    public String utf8() throws ProtocolException {
        byte[] v = bytes();
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(v)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "field is not UTF-8");
        }
    }

    /** A validated SEC1 compressed point ({@link Reason#BAD_POINT} if invalid). */
    public ECPoint point(CurveProfile curve) throws ProtocolException {
        return curve.decodePoint(bytes());
    }

    /** A public scalar in {@code [1, n-1]} ({@link Reason#BAD_SCALAR} if invalid). */
    public BigInteger scalar(CurveProfile curve) throws ProtocolException {
        return curve.decodeScalar(bytes());
    }

    public SecretScalar secretScalar(CurveProfile curve) throws ProtocolException {
        byte[] b = bytes();
        try {
            return SecretScalar.decode(curve, b);
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    public SecretBytes secretBytes() throws ProtocolException {
        return SecretBytes.adopt(bytes());
    }

    public long int64() throws ProtocolException {
        byte[] b = bytes(8);
        long v = 0;
        for (byte x : b) {
            v = (v << 8) | (x & 0xff);
        }
        return v;
    }

    public int int32() throws ProtocolException {
        byte[] b = bytes(4);
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    /** Requires that every byte was consumed. */
    public void finish() throws ProtocolException {
        if (pos != in.length) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "trailing bytes");
        }
    }
}
