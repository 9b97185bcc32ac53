package org.medledger.protocol.common;

import java.security.MessageDigest;
import java.util.Arrays;

import javax.security.auth.Destroyable;

/**
 * What every secret wrapper shares: the secret, held as bytes the wrapper owns, is wiped by
 * {@link #destroy()} and refused from then on, compared in constant time, and never shown:
 * {@link #toString()} prints the wrapper's public part alone.
 */
abstract sealed class Secret implements Destroyable permits SecretBytes, SecretScalar {

    private final byte[] secret;
    private volatile boolean destroyed;

    /** Takes ownership of {@code secret} without copying. */
    Secret(byte[] secret) {
        this.secret = secret;
    }

    /** The held bytes themselves, to read in place (never to hand out or keep); refused once destroyed. */
    final byte[] secret() {
        requireAlive();
        return secret;
    }

    /** A fresh copy of the held bytes, which the caller must wipe; refused once destroyed. */
    final byte[] copyOfSecret() {
        requireAlive();
        return Arrays.copyOf(secret, secret.length);
    }

    /** How many bytes are held (not secret, so also known after {@link #destroy()}). */
    final int secretLength() {
        return secret.length;
    }

    final void requireAlive() {
        if (destroyed) {
            throw new IllegalStateException("Secret has been destroyed.");
        }
    }

    @Override
    public final void destroy() {
        Arrays.fill(secret, (byte) 0);
        destroyed = true;
    }

    @Override
    public final boolean isDestroyed() {
        return destroyed;
    }

    /**
     * The same wrapper type with the same public part and, compared in constant time (lengths are
     * not secret), the same contents; refused once either side is destroyed.
     */
    @Override
    public final boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || o.getClass() != getClass()) {
            return false;
        }
        Secret other = (Secret) o;
        requireAlive();
        other.requireAlive();
        return samePublicPart(other) && MessageDigest.isEqual(secret, other.secret);
    }

    /** Whether {@code other}, of this wrapper type, has the same public parameters. */
    abstract boolean samePublicPart(Secret other);

    /** Deliberately content-independent so that hashing leaks nothing. */
    @Override
    public abstract int hashCode();

    /** What may be shown of this secret (a length, a curve name), never anything of its contents. */
    abstract String publicPart();

    @Override
    public final String toString() {
        return getClass().getSimpleName() + "[" + publicPart() + ", redacted]";
    }
}
