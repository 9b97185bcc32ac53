package org.medledger.protocol.common;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import org.bouncycastle.math.ec.ECPoint;

/**
 * The unambiguous encoding of PROTOCOLS.md §0 for everything hashed, signed, derived or
 * sent: a domain-separation label, then each field as a 4-byte big-endian length followed
 * by its bytes. The label itself is the first length-prefixed field, so no two
 * (label, fields) tuples share an encoding.
 *
 * <pre>
 *   enc = len(label) ‖ label ‖ len(f1) ‖ f1 ‖ … ‖ len(fk) ‖ fk
 * </pre>
 *
 * Not thread-safe; create one per encoding.
 */
public final class LabelledEncoder {

    /** Upper bound on one field, to keep decoders safe from length bombs (16 MiB). */
    public static final int MAX_FIELD_LENGTH = 16 * 1024 * 1024;

    private final String label;
    /** The encoding so far (unsynchronised; this class is not thread-safe). */
    private byte[] buf;
    private int count;
    private int fields;
    /** Created with an exact size ({@link #of(String, int)}): {@link #toByteArray()} may hand out {@code buf}. */
    private final boolean sized;
    /** {@code buf} was handed out by {@link #toByteArray()}: never wipe it, never write into it. */
    private boolean handedOut;

    private LabelledEncoder(String label, int capacity, boolean sized) {
        this.label = label;
        this.sized = sized;
        this.buf = new byte[capacity];
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        writeField(l, 0, l.length);
    }

    /** Starts an encoding with {@code label}, e.g. {@code "EMR-AUTH/eq3/H"}. */
    public static LabelledEncoder of(String label) {
        Objects.requireNonNull(label, "Label is required.");
        if (label.isEmpty()) {
            throw new IllegalArgumentException("Label must not be empty.");
        }
        return new LabelledEncoder(label, 128, false);
    }

    /**
     * As {@link #of(String)}, sized for an encoding of about {@code expectedLength} bytes
     * (saves the buffer's regrowth for large messages; any length still works).
     */
    public static LabelledEncoder of(String label, int expectedLength) {
        Objects.requireNonNull(label, "Label is required.");
        if (label.isEmpty()) {
            throw new IllegalArgumentException("Label must not be empty.");
        }
        return new LabelledEncoder(label, Math.max(32, Math.min(expectedLength, MAX_FIELD_LENGTH)), true);
    }

    /** The exact length of an encoding with {@code label} and fields of {@code fieldLengths} bytes. */
    public static int encodedLength(String label, int... fieldLengths) {
        long n = 4L + label.getBytes(StandardCharsets.UTF_8).length;
        for (int f : fieldLengths) {
            n += 4L + f;
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    public String label() {
        return label;
    }

    public LabelledEncoder bytes(byte[] value) {
        Objects.requireNonNull(value, "Field value is required.");
        writeField(value, 0, value.length);
        return this;
    }

    /** The field {@code value[offset .. offset + length)} (no intermediate copy). */
    public LabelledEncoder bytes(byte[] value, int offset, int length) {
        Objects.requireNonNull(value, "Field value is required.");
        Objects.checkFromIndexSize(offset, length, value.length);
        writeField(value, offset, length);
        return this;
    }

    public LabelledEncoder utf8(String value) {
        Objects.requireNonNull(value, "Field value is required.");
        return bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A secret field; the copy made for encoding is wiped afterwards. */
    public LabelledEncoder secret(SecretBytes value) {
        byte[] b = value.reveal();
        try {
            return bytes(b);
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    public LabelledEncoder secret(SecretScalar value) {
        byte[] b = value.encoded();
        try {
            return bytes(b);
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    /** A point, SEC1 compressed. */
    public LabelledEncoder point(CurveProfile curve, ECPoint p) {
        return bytes(curve.encodePoint(p));
    }

    /** A public scalar, fixed length. */
    public LabelledEncoder scalar(CurveProfile curve, BigInteger k) {
        return bytes(curve.encodeScalar(k));
    }

    /** A signed 64-bit integer (timestamps in epoch milliseconds), 8 bytes big-endian. */
    public LabelledEncoder int64(long value) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) value;
            value >>>= 8;
        }
        return bytes(b);
    }

    /** A 32-bit integer, 4 bytes big-endian. */
    public LabelledEncoder int32(int value) {
        return bytes(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    /** A nested encoding, embedded as one field. */
    public LabelledEncoder nested(LabelledEncoder inner) {
        return bytes(inner.toByteArray());
    }

    /** Number of fields written so far, label excluded. */
    public int fieldCount() {
        return fields - 1;
    }

    /**
     * The encoding, a fresh array. Once only, for an encoder created with an exact size
     * ({@link #of(String, int)} with {@link #encodedLength}), the buffer itself is returned
     * without a copy; the encoder then no longer touches it.
     */
    public byte[] toByteArray() {
        if (sized && !handedOut && count == buf.length) {
            handedOut = true;
            return buf;
        }
        return Arrays.copyOf(buf, count);
    }

    private void writeField(byte[] value, int offset, int n) {
        if (n > MAX_FIELD_LENGTH) {
            throw new IllegalArgumentException("Field too long.");
        }
        int end = count + 4 + n;
        if (end > buf.length || handedOut) {
            byte[] old = buf;
            buf = Arrays.copyOf(old, Math.max(end, 2 * old.length));
            if (!handedOut) {
                Arrays.fill(old, (byte) 0); // may hold secret fields
            }
            handedOut = false;
        }
        buf[count] = (byte) (n >>> 24);
        buf[count + 1] = (byte) (n >>> 16);
        buf[count + 2] = (byte) (n >>> 8);
        buf[count + 3] = (byte) n;
        System.arraycopy(value, offset, buf, count + 4, n);
        count = end;
        fields++;
    }

    @Override
    public String toString() {
        return "LabelledEncoder[" + label + ", " + fieldCount() + " fields]";
    }
}
