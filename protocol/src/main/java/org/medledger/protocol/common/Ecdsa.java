package org.medledger.protocol.common;

import java.math.BigInteger;
import java.util.Objects;

import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.util.BigIntegers;

/**
 * {@code S_PRK_X}/{@code V_PUK_X} of PROTOCOLS.md §0: ECDSA with deterministic nonces
 * (RFC 6979) over the labelled encoding of the fields; SHA-256 on P-256 (SHA-384 on P-384).
 * Signatures travel as fixed-length {@code r ‖ s} (IEEE P1363) in canonical low-S form
 * ({@code s ≤ n/2}): signing normalizes {@code s}, verification refuses the high-S twin, so a
 * third party cannot make a second valid signature of a signed message. The papers' "message
 * recovery" verification is {@code verify(pub, m, sig)}. The one ECDSA of the code base: the
 * ledger signs and verifies through it too.
 */
public final class Ecdsa {

    private Ecdsa() {
    }

    /** Signature length in bytes for {@code curve}. */
    public static int signatureLength(CurveProfile curve) {
        return 2 * curve.scalarLength();
    }

    /** Signs the labelled encoding. */
    public static byte[] sign(SigningKey key, LabelledEncoder message) {
        return signRaw(key, message.toByteArray());
    }

    /** Signs arbitrary bytes (hashed first); {@code s} is always the low half. */
    public static byte[] signRaw(SigningKey key, byte[] message) {
        Objects.requireNonNull(key, "Key is required.");
        Objects.requireNonNull(message, "Message is required.");
        CurveProfile curve = key.curve();
        Digest digest = digestFor(curve);
        byte[] h = hash(digest, message);
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(digestFor(curve)));
        signer.init(true, new ECPrivateKeyParameters(key.secret().reveal(), curve.domain()));
        BigInteger[] rs = signer.generateSignature(h);
        BigInteger n = curve.order();
        // low-S: of the two valid s, n − s, the one ≤ n/2
        BigInteger s = rs[1].compareTo(n.shiftRight(1)) > 0 ? n.subtract(rs[1]) : rs[1];
        byte[] out = new byte[signatureLength(curve)];
        int l = curve.scalarLength();
        System.arraycopy(BigIntegers.asUnsignedByteArray(l, rs[0]), 0, out, 0, l);
        System.arraycopy(BigIntegers.asUnsignedByteArray(l, s), 0, out, l, l);
        return out;
    }

    /**
     * Verifies over the labelled encoding.
     *
     * @return the replay identity of the signed content: the hash the signature was checked
     *         against (SHA-256, SHA-384 on P-384) of the labelled encoding, never the signature
     * @throws ProtocolException {@link Reason#BAD_SIGNATURE} if it does not verify (a high-S
     *         signature included)
     */
    public static ContentId verify(VerificationKey key, LabelledEncoder message, byte[] signature) throws ProtocolException {
        Objects.requireNonNull(key, "Key is required.");
        byte[] h = hash(digestFor(key.curve()), message.toByteArray());
        if (!verifyDigest(key, h, signature)) {
            throw new ProtocolException(Reason.BAD_SIGNATURE, "signature does not verify");
        }
        return ContentId.ofDigest(h);
    }

    /** Verifies a low-S P1363 signature over arbitrary bytes; false on any malformation. */
    public static boolean verifyRaw(VerificationKey key, byte[] message, byte[] signature) {
        Objects.requireNonNull(key, "Key is required.");
        if (message == null) {
            return false;
        }
        return verifyDigest(key, hash(digestFor(key.curve()), message), signature);
    }

    private static boolean verifyDigest(VerificationKey key, byte[] h, byte[] signature) {
        CurveProfile curve = key.curve();
        if (signature == null || signature.length != signatureLength(curve)) {
            return false;
        }
        int l = curve.scalarLength();
        BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(signature, 0, l));
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(signature, l, 2 * l));
        BigInteger n = curve.order();
        // r in [1, n−1], s in [1, n/2]: the high-S twin of a valid signature is refused
        if (r.signum() == 0 || s.signum() == 0 || r.compareTo(n) >= 0 || s.compareTo(n.shiftRight(1)) > 0) {
            return false;
        }
        try {
            ECDSASigner verifier = new ECDSASigner();
            verifier.init(false, new ECPublicKeyParameters(key.point(), curve.domain()));
            return verifier.verifySignature(h, r, s);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Digest digestFor(CurveProfile curve) {
        return curve.order().bitLength() > 256 ? new SHA384Digest() : new SHA256Digest();
    }

    private static byte[] hash(Digest d, byte[] m) {
        d.update(m, 0, m.length);
        byte[] out = new byte[d.getDigestSize()];
        d.doFinal(out, 0);
        return out;
    }
}
