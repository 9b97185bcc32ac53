package org.medledger.protocol.common;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Objects;

import javax.security.auth.Destroyable;

import org.bouncycastle.math.ec.ECPoint;

/**
 * The KGC's master secret {@code s} with its public key {@code PK = s·P}. Held only by the
 * KGC; build it with {@link MasterKeys#fromJca} from the key store or {@link #generate}.
 */
public final class MasterSecret implements Destroyable {

    private final SecretScalar s;
    private final MasterPublicKey publicKey;
    /** The secret {@link #deriveKey} derives from: {@code s} itself unless a rotation kept an older root. */
    private final SecretScalar root;

    MasterSecret(SecretScalar s, MasterPublicKey publicKey) {
        this(s, publicKey, null);
    }

    private MasterSecret(SecretScalar s, MasterPublicKey publicKey, SecretScalar root) {
        this.s = s;
        this.publicKey = publicKey;
        this.root = root;
    }

    /** A fresh master key pair: {@code s ∈ [1, n-1]}, {@code PK = s·P}. */
    public static MasterSecret generate(CurveProfile curve, SecureRandom random) {
        SecretScalar s = SecretScalar.random(curve, random);
        try {
            return new MasterSecret(s, MasterPublicKey.of(curve, s.publicPoint()));
        } catch (ProtocolException e) {
            throw new IllegalStateException("generated key is invalid", e);
        }
    }

    /** Wraps {@code s}; derives and returns {@code PK = s·P} as the public half. */
    public static MasterSecret of(SecretScalar s) {
        Objects.requireNonNull(s, "Master secret is required.");
        try {
            return new MasterSecret(s, MasterPublicKey.of(s.curve(), s.publicPoint()));
        } catch (ProtocolException e) {
            throw new IllegalStateException("derived key is invalid", e);
        }
    }

    /** An independent copy with the same {@code PK} (destroying one leaves the other whole). */
    public MasterSecret copy() {
        return new MasterSecret(s.copy(), publicKey, root == null ? null : root.copy());
    }

    /**
     * This key pair for issuing partial keys, with {@link #deriveKey} still deriving from
     * {@code older}'s secret: after a rotation of the master key pair the keys a KGC derives for
     * itself (and has published) stay what they were. A new object; both stay the caller's.
     */
    public MasterSecret withDerivationRoot(MasterSecret older) {
        if (!older.curve().equals(curve())) {
            throw new IllegalArgumentException("derivation root on another curve");
        }
        SecretScalar r = older.root != null ? older.root : older.s;
        return new MasterSecret(s.copy(), publicKey, r.copy());
    }

    public CurveProfile curve() {
        return s.curve();
    }

    public MasterPublicKey publicKey() {
        return publicKey;
    }

    /**
     * Issues a partial private key (an implicit certificate): picks {@code r}, computes
     * {@code R = r·P}, asks {@code hash} for {@code h = H(…‖R)} and returns
     * {@code S = r + h·s mod n}. Used by EMR-AUTH eq. 2–3, 5–6, 8–9 and INTER-HOSPITAL
     * registration.
     */
    public PartialKey issuePartialKey(SecureRandom random, java.util.function.Function<ECPoint, BigInteger> hash) {
        CurveProfile curve = s.curve();
        SecretScalar r = SecretScalar.random(curve, random);
        try {
            ECPoint big = r.publicPoint();                                    // R = r·P
            BigInteger h = hash.apply(big);                                    // h = H(…‖R)
            SecretScalar sValue;
            try {
                sValue = r.plusProduct(h, this.s);                           // S = r + h·s mod n (constant time)
            } catch (ProtocolException zero) {
                // Probability ~1/n; retry rather than issue an unusable key.
                return issuePartialKey(random, hash);
            }
            return new PartialKey(big, sValue);
        } finally {
            r.destroy();
        }
    }

    /**
     * A 32-byte key derived from {@code s} for a named purpose (HKDF-SHA256, info = label),
     * e.g. the public cloud's index key (EMR-AUTH erratum 7). Distinct labels give
     * independent keys.
     */
    public SecretBytes deriveKey(String label) {
        byte[] ikm = (root != null ? root : s).encoded();
        try {
            return Kdf.hkdf(ikm, "MEDLEDGER-V1/master-derived".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    label.getBytes(java.nio.charset.StandardCharsets.UTF_8), Kdf.KEY_LENGTH);
        } finally {
            java.util.Arrays.fill(ikm, (byte) 0);
        }
    }

    @Override
    public void destroy() {
        s.destroy();
        if (root != null) {
            root.destroy();
        }
    }

    @Override
    public boolean isDestroyed() {
        return s.isDestroyed();
    }

    @Override
    public String toString() {
        return "MasterSecret[" + s.curve().name() + ", redacted]";
    }
}
