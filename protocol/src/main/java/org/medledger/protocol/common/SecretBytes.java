package org.medledger.protocol.common;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * Secret key material as bytes: copied in and out, never shown by {@link #toString()},
 * compared in constant time (also with raw bytes), and wipeable with {@link #destroy()}.
 */
public final class SecretBytes extends Secret {

    private SecretBytes(byte[] bytes) {
        super(bytes);
    }

    /** Wraps a copy of {@code bytes}; the caller may wipe its own array afterwards. */
    public static SecretBytes copyOf(byte[] bytes) {
        Objects.requireNonNull(bytes, "Secret bytes are required.");
        return new SecretBytes(Arrays.copyOf(bytes, bytes.length));
    }

    /** Takes ownership of {@code bytes} without copying (the caller must drop its reference). */
    static SecretBytes adopt(byte[] bytes) {
        return new SecretBytes(Objects.requireNonNull(bytes));
    }

    /** A fresh copy of the secret; the caller is responsible for wiping it. */
    public byte[] reveal() {
        return copyOfSecret();
    }

    /** An independent copy (destroying one leaves the other whole). */
    public SecretBytes copy() {
        return new SecretBytes(copyOfSecret());
    }

    public int length() {
        return secretLength();
    }

    /** Constant-time comparison with raw bytes. */
    public boolean equalsBytes(byte[] other) {
        byte[] held = secret();
        return other != null && MessageDigest.isEqual(held, other);
    }

    @Override
    boolean samePublicPart(Secret other) {
        return true;
    }

    @Override
    public int hashCode() {
        return secretLength();
    }

    @Override
    String publicPart() {
        return secretLength() + " bytes";
    }
}
