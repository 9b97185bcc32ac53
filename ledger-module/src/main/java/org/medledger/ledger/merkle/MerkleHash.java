package org.medledger.ledger.merkle;

import java.security.MessageDigest;

import org.medledger.ledger.codec.Digest;

/** RFC 6962 §2.1 hashing: leaves prefixed with 0x00, interior nodes with 0x01. */
public final class MerkleHash {
    /** MTH({}) = SHA-256() (RFC 6962 §2.1). */
    public static final Digest EMPTY_ROOT = Digest.sha256(new byte[0]);

    private MerkleHash() {
    }

    /** MTH({d}) = SHA-256(0x00 || d). */
    public static Digest leaf(byte[] data) {
        MessageDigest md = Digest.sha256();
        md.update((byte) 0x00);
        md.update(data);
        return Digest.finish(md);
    }

    /** MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])). */
    public static Digest node(Digest left, Digest right) {
        MessageDigest md = Digest.sha256();
        md.update((byte) 0x01);
        left.writeTo(md);
        right.writeTo(md);
        return Digest.finish(md);
    }
}
