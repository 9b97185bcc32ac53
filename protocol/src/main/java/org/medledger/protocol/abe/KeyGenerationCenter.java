package org.medledger.protocol.abe;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.medledger.protocol.common.Kdf;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.pairing.G1Element;
import org.medledger.protocol.pairing.G2Element;
import org.medledger.protocol.pairing.PairingGroup;

/**
 * The KGC of ABE-CHAIN (seed 003, Setup and KeyGen; Fig. 3 step 0). Holds MSK = g2^α and
 * issues identity keys (hospitals, patients: for signing) and attribute keys (insurers,
 * researchers: for decrypting). MSK never leaves this object and is never printed.
 */
public final class KeyGenerationCenter {

    private final PairingGroup group;
    private final SecureRandom random;
    private final PublicParameters publicParameters;
    private final AbeHashes hashes;
    /** MSK = g2^α. */
    private final G2Element msk;

    static final String ALPHA_LABEL = "ABE-CHAIN/KGC/alpha/v1";
    static final String A_LABEL = "ABE-CHAIN/KGC/a/v1";

    /** Setup(1^λ): fresh α, a. */
    public KeyGenerationCenter(PairingGroup group, SecureRandom random) {
        this(group, random, group.randomScalar(random), group.randomScalar(random));
    }

    /**
     * Setup with α and a derived from a secret seed (at least 32 bytes) kept in a key store:
     * {@code α, a = 1 + (HKDF-SHA256(seed, label, 64 bytes) mod (r − 1))} with distinct labels,
     * so the same seed gives the same PP and MSK in every call and nothing else has to be kept.
     * {@code random} is used only for the per-key exponents t.
     */
    public static KeyGenerationCenter fromSeed(PairingGroup group, SecureRandom random, SecretBytes seed) {
        Objects.requireNonNull(group, "group is required");
        Objects.requireNonNull(seed, "seed is required");
        if (seed.length() < 32) {
            throw new IllegalArgumentException("the seed must have at least 32 bytes");
        }
        return new KeyGenerationCenter(group, random, seededScalar(group, seed, ALPHA_LABEL), seededScalar(group, seed, A_LABEL));
    }

    private static BigInteger seededScalar(PairingGroup group, SecretBytes seed, String label) {
        byte[] ikm = seed.reveal();
        SecretBytes wide = Kdf.hkdf(ikm, new byte[0], label.getBytes(StandardCharsets.UTF_8), 64);
        byte[] w = wide.reveal();
        try {
            // 512 bits reduced modulo r − 1 (< 2^255): bias below 2^-256.
            return new BigInteger(1, w).mod(group.order().subtract(BigInteger.ONE)).add(BigInteger.ONE);
        } finally {
            Arrays.fill(ikm, (byte) 0);
            Arrays.fill(w, (byte) 0);
            wide.destroy();
        }
    }

    private KeyGenerationCenter(PairingGroup group, SecureRandom random, BigInteger alpha, BigInteger a) {
        this.group = Objects.requireNonNull(group, "group is required");
        this.random = Objects.requireNonNull(random, "random is required");
        // MSK = g2^α  (seed 003 Setup, G2 per PROTOCOLS.md §4)
        this.msk = group.g2().multiply(alpha);
        // PP = (g1, g2, g1^a, g2^a, e(g1,g2)^α)  (seed 003 Setup)
        this.publicParameters = new PublicParameters(group, group.g1().multiply(a), group.g2().multiply(a),
                group.pair(group.g1(), msk));
        this.hashes = publicParameters.hashes();
    }

    public PublicParameters publicParameters() {
        return publicParameters;
    }

    /** KeyGen_ATT(S): attribute names are folded (case, NFC). */
    public AttributeKey issueAttributeKey(Set<String> attributes) {
        Objects.requireNonNull(attributes, "attributes are required");
        if (attributes.isEmpty()) {
            throw new IllegalArgumentException("an attribute key needs at least one attribute");
        }
        BigInteger t = group.randomScalar(random);
        // K0 = g2^α·g2^{a t}  (seed 003, KeyGen_ATT)
        G2Element k0 = msk.add(publicParameters.g2A().multiply(t));
        // K1 = g2^t  (seed 003, KeyGen_ATT)
        G2Element k1 = group.g2().multiply(t);
        Map<String, G1Element> kx = new LinkedHashMap<>();
        for (String x : attributes) {
            String folded = AccessPolicy.foldAttribute(x);
            // K_x = H(x)^t ∈ G1  (seed 003, KeyGen_ATT)
            kx.put(folded, hashes.attribute(folded).multiply(t));
        }
        return new AttributeKey(k0, k1, kx);
    }

    /** KeyGen_ID(id): as KeyGen_ATT with the single identity, hashed in the identity domain. */
    public IdentityKey issueIdentityKey(String identity) {
        String id = AccessPolicy.foldAttribute(identity);
        BigInteger t = group.randomScalar(random);
        // K0 = g2^α·g2^{a t}  (seed 003, KeyGen_ID)
        G2Element k0 = msk.add(publicParameters.g2A().multiply(t));
        // K1 = g2^t  (seed 003, KeyGen_ID)
        G2Element k1 = group.g2().multiply(t);
        // K_id = H(id)^t  (seed 003, KeyGen_ID)
        G1Element kId = hashes.identity(id).multiply(t);
        return new IdentityKey(id, k0, k1, kId);
    }

    @Override
    public String toString() {
        return "KeyGenerationCenter[" + group.name() + "]";
    }
}
