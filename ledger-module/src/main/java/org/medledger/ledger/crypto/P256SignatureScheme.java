package org.medledger.ledger.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.medledger.ledger.codec.Bytes;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretScalar;
import org.medledger.protocol.common.SigningKey;
import org.medledger.protocol.common.VerificationKey;

/**
 * The ledger's {@link SignatureScheme} and {@link Signer}s on the protocol's one ECDSA
 * ({@link Ecdsa}, PROTOCOLS.md §0): P-256 with SHA-256, RFC 6979 nonces, 64-byte {@code r || s}
 * with {@code s <= n/2} (the high-S twin is refused), public keys SEC1 compressed and validated
 * ({@link CurveProfile#decodePoint}). This class only adapts byte-array keys to the profile's
 * key types; it has no arithmetic of its own.
 */
public final class P256SignatureScheme implements SignatureScheme {
    public static final P256SignatureScheme INSTANCE = new P256SignatureScheme();

    private static final CurveProfile CURVE = CurveProfile.p256();
    private static final BigInteger N = CURVE.order();

    /** Decoded, validated member keys (their points keep the multiplication tables); keys repeat across many transactions. */
    private static final int KEY_CACHE_LIMIT = 10_000;
    private static final ConcurrentHashMap<Bytes, VerificationKey> KEYS = new ConcurrentHashMap<>();

    private P256SignatureScheme() {
    }

    /** Generates a key pair from {@code random}; the private scalar never leaves the returned signer. */
    public static Signer generate(SecureRandom random) {
        Objects.requireNonNull(random, "random is required");
        return new P256Signer(SigningKey.generate(CURVE, random));
    }

    /**
     * A signer for an existing P-256 private key (e.g. one a server holds in its PKCS#12 key
     * store); refuses a key of another curve.
     */
    public static Signer fromPrivateKey(java.security.interfaces.ECPrivateKey key) {
        Objects.requireNonNull(key, "key is required");
        java.security.spec.ECParameterSpec spec = key.getParams();
        if (spec == null || !spec.getOrder().equals(N)
                || !spec.getGenerator().getAffineX().equals(CURVE.generator().getAffineXCoord().toBigInteger())) {
            throw new IllegalArgumentException("not a P-256 private key");
        }
        return fromScalar(key.getS());
    }

    /** A signer for a scalar derived from {@code seed} (tests and fixed fixtures only). */
    public static Signer fromSeed(byte[] seed) {
        byte[] h = org.medledger.ledger.codec.Digest.sha256(seed).bytes();
        return fromScalar(new BigInteger(1, h).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE));
    }

    private static Signer fromScalar(BigInteger d) {
        try {
            return new P256Signer(SigningKey.of(SecretScalar.of(CURVE, d)));
        } catch (ProtocolException e) {
            throw new IllegalArgumentException("not a P-256 private key");
        }
    }

    @Override
    public boolean isValidPublicKey(byte[] publicKey) {
        return cachedKey(publicKey) != null;
    }

    @Override
    public boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (message == null || signature == null) {
            return false;
        }
        VerificationKey q = cachedKey(publicKey);
        return q != null && Ecdsa.verifyRaw(q, message, signature);
    }

    private static VerificationKey cachedKey(byte[] encoded) {
        if (encoded == null) {
            return null;
        }
        Bytes k = Bytes.of(encoded);
        VerificationKey q = KEYS.get(k);
        if (q == null) {
            try {
                q = VerificationKey.decode(CURVE, encoded);
            } catch (ProtocolException e) {
                return null;
            }
            if (KEYS.size() >= KEY_CACHE_LIMIT) {
                KEYS.clear();
            }
            KEYS.put(k, q);
        }
        return q;
    }

    private static final class P256Signer implements Signer {
        private final SigningKey key;
        private final byte[] publicKey;

        P256Signer(SigningKey key) {
            this.key = key;
            this.publicKey = key.verificationKey().encoded();
        }

        @Override
        public byte[] publicKey() {
            return publicKey.clone();
        }

        @Override
        public byte[] sign(byte[] message) {
            return Ecdsa.signRaw(key, message);
        }

        @Override
        public String toString() {
            return "P256Signer[private key hidden]";
        }
    }
}
