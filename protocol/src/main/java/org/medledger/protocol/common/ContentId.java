package org.medledger.protocol.common;

import java.util.Arrays;
import java.util.Objects;

/**
 * The replay identity of a received message: a digest of the bytes its authentication covers
 * (the labelled encoding a signature is computed over, or the fields a MAC or hash check
 * binds), never of signature bytes. Every labelled encoding starts with its domain label, so
 * two message types never share an identity.
 *
 * <p>Why not the whole message: an ECDSA signature has a twin ({@code s → n − s}) and an IBS
 * signature can be re-randomized by anyone; keyed on the signature bytes, a replay cache would
 * accept such a copy as new. {@link Ecdsa#verify} returns the identity of what it verified (the
 * hash it computed anyway), {@link #of(LabelledEncoder)} covers the rest.
 */
public final class ContentId {

    private final byte[] digest;

    private ContentId(byte[] digest) {
        this.digest = digest;
    }

    /** The identity from a digest already computed over the authenticated bytes (no copy). */
    static ContentId ofDigest(byte[] digest) {
        return new ContentId(Objects.requireNonNull(digest, "Digest is required."));
    }

    /** SHA-256 of the labelled encoding of the authenticated content. */
    public static ContentId of(LabelledEncoder authenticated) {
        Objects.requireNonNull(authenticated, "Content is required.");
        return new ContentId(HashToScalar.sha256().digest(authenticated.toByteArray()));
    }

    /**
     * SHA-256 of a complete message encoding in which every byte is bound by a MAC, AEAD tag or
     * hash check of the receiver and no signature occurs (so it has no second valid form).
     */
    public static ContentId ofAuthenticatedEncoding(byte[] encoded) {
        Objects.requireNonNull(encoded, "Encoding is required.");
        return new ContentId(HashToScalar.sha256().digest(encoded));
    }

    /** The digest bytes (a copy). */
    public byte[] digest() {
        return digest.clone();
    }

    byte[] digestNoCopy() {
        return digest;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContentId c && Arrays.equals(c.digest, digest);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return "ContentId[" + org.bouncycastle.util.encoders.Hex.toHexString(digest) + "]";
    }
}
