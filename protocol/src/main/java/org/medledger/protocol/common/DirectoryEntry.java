package org.medledger.protocol.common;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

import org.bouncycastle.math.ec.ECPoint;

/**
 * A KGC-signed directory entry certifying a party's own public keys (PROTOCOLS.md §0: "the
 * KGC certifies the public keys (a signed directory entry) and never sees a private key").
 * Binds scheme, role, identity, signing key, KEM key, the optional KGC-issued partial-key
 * point {@code R_X} and a validity interval (epoch ms).
 */
public record DirectoryEntry(String scheme, String role, String partyId, VerificationKey signingKey,
                             KemPublicKey kemKey, Optional<ECPoint> partialKeyPoint,
                             long notBefore, long notAfter, byte[] kgcSignature) {

    static final String LABEL = "MEDLEDGER/DirectoryEntry";

    public DirectoryEntry {
        Objects.requireNonNull(scheme, "Scheme is required.");
        Objects.requireNonNull(role, "Role is required.");
        Objects.requireNonNull(partyId, "Party id is required.");
        Objects.requireNonNull(signingKey, "Signing key is required.");
        Objects.requireNonNull(kemKey, "KEM key is required.");
        Objects.requireNonNull(partialKeyPoint, "Partial key point is required (may be empty).");
        Objects.requireNonNull(kgcSignature, "KGC signature is required.");
        kgcSignature = kgcSignature.clone();
        if (notAfter < notBefore) {
            throw new IllegalArgumentException("Validity interval is reversed.");
        }
    }

    @Override
    public byte[] kgcSignature() {
        return kgcSignature.clone();
    }

    /** The fields the KGC signs. */
    LabelledEncoder signedPart() {
        CurveProfile c = signingKey.curve();
        return LabelledEncoder.of(LABEL + "/tbs").utf8(scheme).utf8(role).utf8(partyId)
                .bytes(signingKey.encoded()).bytes(kemKey.encoded())
                .bytes(partialKeyPoint.map(c::encodePoint).orElse(new byte[0]))
                .int64(notBefore).int64(notAfter);
    }

    /**
     * Checks the KGC signature, validity at {@code nowMillis}, and that the entry is for
     * {@code expectedId} in {@code expectedRole}.
     *
     * @throws ProtocolException {@link Reason#BAD_SIGNATURE} (not certified by this KGC),
     *         {@link Reason#CERT_INVALID} (expired, wrong role/scheme),
     *         {@link Reason#CERT_IDENTITY_MISMATCH} (another party's entry)
     */
    public void verify(VerificationKey kgcKey, String expectedScheme, String expectedRole, String expectedId, long nowMillis)
            throws ProtocolException {
        Ecdsa.verify(kgcKey, signedPart(), kgcSignature);
        checkValidityAndIdentity(expectedScheme, expectedRole, expectedId, nowMillis);
    }

    /** The non-cryptographic part of {@link #verify}: validity interval, scheme, role, identity. */
    void checkValidityAndIdentity(String expectedScheme, String expectedRole, String expectedId, long nowMillis)
            throws ProtocolException {
        if (nowMillis < notBefore || nowMillis > notAfter) {
            throw new ProtocolException(Reason.CERT_INVALID, "directory entry outside its validity");
        }
        if (!scheme.equals(expectedScheme) || !role.equals(expectedRole)) {
            throw new ProtocolException(Reason.CERT_INVALID, "directory entry for another scheme or role");
        }
        if (!partyId.equals(expectedId)) {
            throw new ProtocolException(Reason.CERT_IDENTITY_MISMATCH, "directory entry for another party");
        }
    }

    public byte[] encode() {
        CurveProfile c = signingKey.curve();
        return LabelledEncoder.of(LABEL).utf8(scheme).utf8(role).utf8(partyId)
                .bytes(signingKey.encoded()).bytes(kemKey.encoded())
                .bytes(partialKeyPoint.map(c::encodePoint).orElse(new byte[0]))
                .int64(notBefore).int64(notAfter).bytes(kgcSignature).toByteArray();
    }

    public static DirectoryEntry decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        String scheme = d.utf8();
        String role = d.utf8();
        String id = d.utf8();
        VerificationKey sk = VerificationKey.decode(curve, d.bytes());
        KemPublicKey kk = KemPublicKey.decode(curve, d.bytes());
        byte[] r = d.bytes();
        Optional<ECPoint> rp = r.length == 0 ? Optional.empty() : Optional.of(curve.decodePoint(r));
        long nb = d.int64();
        long na = d.int64();
        byte[] sig = d.bytes(Ecdsa.signatureLength(curve));
        d.finish();
        if (na < nb) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "validity interval reversed");
        }
        return new DirectoryEntry(scheme, role, id, sk, kk, rp, nb, na, sig);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DirectoryEntry)) {
            return false;
        }
        DirectoryEntry e = (DirectoryEntry) o;
        return Arrays.equals(encode(), e.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "DirectoryEntry[" + scheme + "/" + role + "/" + partyId + "]";
    }
}
