package org.medledger.ledger.codec;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A 32-byte SHA-256 value, compared by value. */
public final class Digest {
    public static final int LENGTH = 32;
    public static final Digest ZERO = new Digest(new byte[LENGTH]);

    private final byte[] bytes;

    private Digest(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Digest of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("a digest has 32 bytes");
        }
        return new Digest(bytes.clone());
    }

    /** Wraps without copying; only for arrays nobody else holds. */
    static Digest wrap(byte[] bytes) {
        return new Digest(bytes);
    }

    public static Digest fromHex(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    public static Digest sha256(byte[] data) {
        return new Digest(sha256().digest(data));
    }

    private static final MessageDigest PROTOTYPE = newSha256();

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    /** A fresh SHA-256 instance (cloned: a provider lookup per hash is measurable on the hot path). */
    public static MessageDigest sha256() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256();
        }
    }

    /** Hash of the final state of {@code md}, resetting it. */
    public static Digest finish(MessageDigest md) {
        return new Digest(md.digest());
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public void writeTo(MessageDigest md) {
        md.update(bytes);
    }

    /** Number of leading zero bits (for the seed 004 difficulty target). */
    public int leadingZeroBits() {
        int n = 0;
        for (byte b : bytes) {
            if (b == 0) {
                n += 8;
                continue;
            }
            return n + Integer.numberOfLeadingZeros(b & 0xff) - 24;
        }
        return n;
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Digest d && MessageDigest.isEqual(bytes, d.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
