package org.medledger.protocol.common;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

import javax.security.auth.Destroyable;

/**
 * Secret key material as bytes: copied in and out, never shown by {@link #toString()},
 * compared in constant time, and wipeable with {@link #destroy()}.
 */
public final class SecretBytes implements Destroyable {

    private final byte[] bytes;
    private volatile boolean destroyed;

    private SecretBytes(byte[] bytes) {
        this.bytes = bytes;
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
        requireAlive();
        return Arrays.copyOf(bytes, bytes.length);
    }

    /** An independent copy (destroying one leaves the other whole). */
    public SecretBytes copy() {
        requireAlive();
        return new SecretBytes(Arrays.copyOf(bytes, bytes.length));
    }

    public int length() {
        return bytes.length;
    }

    /** Constant-time comparison with raw bytes. */
    public boolean equalsBytes(byte[] other) {
        requireAlive();
        return other != null && MessageDigest.isEqual(bytes, other);
    }

    @Override
    public void destroy() {
        Arrays.fill(bytes, (byte) 0);
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    private void requireAlive() {
        if (destroyed) {
            throw new IllegalStateException("Secret has been destroyed.");
        }
    }

    /** Constant-time over the contents (lengths are not secret). */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SecretBytes)) {
            return false;
        }
        SecretBytes other = (SecretBytes) o;
        requireAlive();
        other.requireAlive();
        return MessageDigest.isEqual(bytes, other.bytes);
    }

    /** Deliberately content-independent so that hashing leaks nothing. */
    @Override
    public int hashCode() {
        return bytes.length;
    }

    @Override
    public String toString() {
        return "SecretBytes[" + bytes.length + " bytes, redacted]";
    }
}
