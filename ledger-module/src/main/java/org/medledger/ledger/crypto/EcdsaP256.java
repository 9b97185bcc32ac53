package org.medledger.ledger.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Objects;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

/**
 * ECDSA over P-256 with SHA-256 (PROTOCOLS.md §0): deterministic nonces (RFC 6979), signatures
 * as 64 bytes {@code r || s} with {@code s <= n/2} (no malleable twin), public keys SEC1 compressed
 * and validated before use.
 */
public final class EcdsaP256 implements SignatureScheme {
    public static final EcdsaP256 INSTANCE = new EcdsaP256();

    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN =
            new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
    private static final BigInteger N = DOMAIN.getN();
    private static final BigInteger HALF_N = N.shiftRight(1);

    /** Decoded, validated member keys with their multiplication tables; keys repeat across many transactions. */
    private static final int KEY_CACHE_LIMIT = 10_000;
    private static final java.util.concurrent.ConcurrentHashMap<org.medledger.ledger.codec.Bytes, ECPoint> KEYS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private EcdsaP256() {
    }

    /** Generates a key pair from {@code random}; the private scalar never leaves the returned signer. */
    public static Signer generate(SecureRandom random) {
        Objects.requireNonNull(random, "random is required");
        BigInteger d;
        do {
            d = BigIntegers.createRandomBigInteger(256, random);
        } while (d.signum() == 0 || d.compareTo(N) >= 0);
        return new P256Signer(d);
    }

    /**
     * A signer for an existing P-256 private key (e.g. one a server holds in its PKCS#12 key
     * store); refuses a key of another curve.
     */
    public static Signer fromPrivateKey(java.security.interfaces.ECPrivateKey key) {
        Objects.requireNonNull(key, "key is required");
        java.security.spec.ECParameterSpec spec = key.getParams();
        BigInteger d = key.getS();
        if (spec == null || !spec.getOrder().equals(N) || !spec.getGenerator().getAffineX().equals(DOMAIN.getG().getAffineXCoord().toBigInteger())
                || d.signum() <= 0 || d.compareTo(N) >= 0) {
            throw new IllegalArgumentException("not a P-256 private key");
        }
        return new P256Signer(d);
    }

    /** A signer for a scalar derived from {@code seed} (tests and fixed fixtures only). */
    public static Signer fromSeed(byte[] seed) {
        byte[] h = org.medledger.ledger.codec.Digest.sha256(seed).bytes();
        BigInteger d = new BigInteger(1, h).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
        return new P256Signer(d);
    }

    @Override
    public boolean isValidPublicKey(byte[] publicKey) {
        return decode(publicKey) != null;
    }

    @Override
    public boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey == null || message == null || signature == null || signature.length != 64) {
            return false;
        }
        ECPoint q = cachedKey(publicKey);
        if (q == null) {
            return false;
        }
        BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(signature, 32, 64));
        if (r.signum() == 0 || r.compareTo(N) >= 0 || s.signum() == 0 || s.compareTo(HALF_N) > 0) {
            return false;
        }
        ECDSASigner v = new ECDSASigner();
        v.init(false, new ECPublicKeyParameters(q, DOMAIN));
        return v.verifySignature(sha256(message), r, s);
    }

    private static ECPoint cachedKey(byte[] encoded) {
        org.medledger.ledger.codec.Bytes k = org.medledger.ledger.codec.Bytes.of(encoded);
        ECPoint q = KEYS.get(k);
        if (q == null) {
            q = decode(encoded);
            if (q == null) {
                return null;
            }
            if (KEYS.size() >= KEY_CACHE_LIMIT) {
                KEYS.clear();
            }
            KEYS.put(k, q);
        }
        return q;
    }

    private static ECPoint decode(byte[] encoded) {
        if (encoded == null || encoded.length != 33 || (encoded[0] != 2 && encoded[0] != 3)) {
            return null;
        }
        try {
            ECPoint p = DOMAIN.getCurve().decodePoint(encoded);
            return p.isInfinity() || !p.isValid() ? null : p;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] sha256(byte[] m) {
        SHA256Digest d = new SHA256Digest();
        d.update(m, 0, m.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    private static final class P256Signer implements Signer {
        private final ECPrivateKeyParameters key;
        private final byte[] publicKey;

        P256Signer(BigInteger d) {
            this.key = new ECPrivateKeyParameters(d, DOMAIN);
            this.publicKey = new FixedPointCombMultiplier().multiply(DOMAIN.getG(), d).normalize().getEncoded(true);
        }

        @Override
        public byte[] publicKey() {
            return publicKey.clone();
        }

        @Override
        public byte[] sign(byte[] message) {
            ECDSASigner s = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
            s.init(true, key);
            BigInteger[] rs = s.generateSignature(sha256(message));
            BigInteger sv = rs[1].compareTo(HALF_N) > 0 ? N.subtract(rs[1]) : rs[1];
            byte[] out = new byte[64];
            BigIntegers.asUnsignedByteArray(rs[0], out, 0, 32);
            BigIntegers.asUnsignedByteArray(sv, out, 32, 32);
            return out;
        }

        @Override
        public String toString() {
            return "P256Signer[private key hidden]";
        }
    }
}
