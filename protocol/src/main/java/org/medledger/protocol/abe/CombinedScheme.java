package org.medledger.protocol.abe;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.pairing.G1Element;
import org.medledger.protocol.pairing.G2Element;
import org.medledger.protocol.pairing.GtElement;
import org.medledger.protocol.pairing.PairingGroup;

/**
 * C-AB/IB-ES (seed 003, "A specific C-AB/IB-ES scheme") over public parameters: Encrypt
 * and Decrypt for policies (CP-ABE) and identities (IBE), Sign and Verify (IBS), with the
 * group assignment of PROTOCOLS.md §4. Stateless apart from the parameters and the random
 * source; safe to share.
 */
public final class CombinedScheme {

    private final PublicParameters pp;
    private final PairingGroup group;
    private final AbeHashes hashes;
    private final SecureRandom random;

    public CombinedScheme(PublicParameters publicParameters, SecureRandom random) {
        this.pp = Objects.requireNonNull(publicParameters, "public parameters are required");
        this.group = pp.group();
        this.hashes = pp.hashes();
        this.random = Objects.requireNonNull(random, "random is required");
    }

    private CombinedScheme(PublicParameters publicParameters) {
        this.pp = Objects.requireNonNull(publicParameters, "public parameters are required");
        this.group = pp.group();
        this.hashes = pp.hashes();
        this.random = null;
    }

    /**
     * An instance without randomness, for Decrypt, Verify and key checks (endorsers, data
     * consumers); Encrypt and Sign on it throw {@link IllegalStateException}.
     */
    public static CombinedScheme forVerification(PublicParameters publicParameters) {
        return new CombinedScheme(publicParameters);
    }

    public PublicParameters publicParameters() {
        return pp;
    }

    /**
     * Checks an attribute key against the public parameters, as its holder does on receipt:
     * e(g1, K0) = e(g1,g2)^α·e(g1^a, K1) and e(K_x, g2) = e(H(x), K1) for every x.
     *
     * @throws ProtocolException {@link Reason#BAD_PARTIAL_KEY} if any equation fails
     */
    public void requireWellFormed(AttributeKey key) throws ProtocolException {
        requireBase(key.k0(), key.k1());
        for (String x : key.attributes()) {
            // e(K_x, g2)·e(H(x), K1)^{-1} = 1
            if (!group.multiPair(List.of(key.kx(x), hashes.attribute(x).negate()), List.of(group.g2(), key.k1())).isOne()) {
                throw new ProtocolException(Reason.BAD_PARTIAL_KEY, "K_x does not match K1");
            }
        }
    }

    /** As {@link #requireWellFormed(AttributeKey)} for an identity key. */
    public void requireWellFormed(IdentityKey key) throws ProtocolException {
        requireBase(key.k0(), key.k1());
        if (!group.multiPair(List.of(key.kId(), hashes.identity(key.identity()).negate()), List.of(group.g2(), key.k1())).isOne()) {
            throw new ProtocolException(Reason.BAD_PARTIAL_KEY, "K_id does not match K1");
        }
    }

    private void requireBase(G2Element k0, G2Element k1) throws ProtocolException {
        if (k0.isIdentity() || k1.isIdentity()) {
            throw new ProtocolException(Reason.BAD_PARTIAL_KEY, "key component is the identity element");
        }
        // e(g1, K0)·e(g1^a, K1)^{-1} = e(g1,g2)^α  (K0 = g2^α·g2^{a t}, K1 = g2^t)
        if (!group.multiPair(List.of(group.g1(), pp.g1A().negate()), List.of(k0, k1)).equals(pp.eggAlpha())) {
            throw new ProtocolException(Reason.BAD_PARTIAL_KEY, "K0 does not match K1 and the public parameters");
        }
    }

    private SecureRandom random() {
        if (random == null) {
            throw new IllegalStateException("this scheme instance was built without randomness");
        }
        return random;
    }

    /** A uniformly random message m ∈ GT (the KEM secret of the hybrid encryption). */
    public GtElement randomMessage() {
        return pp.eggAlpha().pow(group.randomScalar(random()));
    }

    /** Encrypt_ATT((M, ρ), m). */
    public PolicyCiphertext encrypt(AccessPolicy policy, GtElement m) {
        Objects.requireNonNull(policy, "policy is required");
        Objects.requireNonNull(m, "message is required");
        LsssMatrix lsss = LsssMatrix.of(policy, group.order());
        BigInteger s = group.randomScalar(random());
        // v = (s, y2, …, yn)  (seed 003, Encrypt_ATT)
        BigInteger[] v = new BigInteger[lsss.columnCount()];
        v[0] = s;
        for (int c = 1; c < v.length; c++) {
            v[c] = group.randomScalar(random());
        }
        // λ_i = M_i · v  (seed 003, Encrypt_ATT)
        BigInteger[] lambda = lsss.shares(v);
        // C0 = m·e(g1,g2)^{α s}  (seed 003, Encrypt_ATT)
        GtElement c0 = m.multiply(pp.eggAlpha().pow(s));
        // C1 = g1^s  (seed 003, Encrypt_ATT)
        G1Element c1 = group.g1().multiply(s);
        List<PolicyCiphertext.Row> rows = new ArrayList<>(lsss.rowCount());
        for (int i = 0; i < lsss.rowCount(); i++) {
            BigInteger ri = group.randomScalar(random());
            // C2_i = g1^{a λ_i}·H(ρ(i))^{-r_i} ∈ G1  (seed 003, Encrypt_ATT)
            G1Element c2 = pp.g1A().multiply(lambda[i]).add(hashes.attribute(lsss.attribute(i)).multiply(ri).negate());
            // C3_i = g2^{r_i} ∈ G2  (seed 003, Encrypt_ATT)
            G2Element c3 = group.g2().multiply(ri);
            rows.add(new PolicyCiphertext.Row(c2, c3));
        }
        return new PolicyCiphertext(policy, c0, c1, rows);
    }

    /** Decrypt_ATT(SK_S, CT): one multi-pairing of 2 + |I| pairs. */
    public GtElement decrypt(AttributeKey key, PolicyCiphertext ct) throws ProtocolException {
        Objects.requireNonNull(key, "key is required");
        Objects.requireNonNull(ct, "ciphertext is required");
        LsssMatrix lsss = LsssMatrix.of(ct.policy(), group.order());
        // {ω_i} with Σ ω_i λ_i = s  (seed 003, Decrypt_ATT)
        BigInteger[] omega = lsss.reconstruction(key.attributes())
                .orElseThrow(() -> new ProtocolException(Reason.POLICY_NOT_SATISFIED,
                        "the key's attributes do not satisfy the ciphertext policy"));
        List<G1Element> ps = new ArrayList<>();
        List<G2Element> qs = new ArrayList<>();
        // 1/A = e(C1, K0)^{-1} = e(C1^{-1}, K0)  (seed 003, Decrypt_ATT: A = e(C1, K0))
        ps.add(ct.c1().negate());
        qs.add(key.k0());
        G1Element c2Combined = null;
        for (int i = 0; i < omega.length; i++) {
            if (omega[i].signum() == 0) {
                continue;
            }
            PolicyCiphertext.Row row = ct.rows().get(i);
            G1Element weighted = row.c2().multiply(omega[i]);
            c2Combined = c2Combined == null ? weighted : c2Combined.add(weighted);
            // e(K_ρ(i), C3_i)^{ω_i} = e(K_ρ(i)^{ω_i}, C3_i)  (seed 003, Decrypt_ATT, B)
            ps.add(key.kx(lsss.attribute(i)).multiply(omega[i]));
            qs.add(row.c3());
        }
        if (c2Combined == null) {
            throw new ProtocolException(Reason.POLICY_NOT_SATISFIED, "no usable policy row");
        }
        // Π e(C2_i, K1)^{ω_i} = e(Π C2_i^{ω_i}, K1)  (seed 003, Decrypt_ATT, B)
        ps.add(c2Combined);
        qs.add(key.k1());
        // m = C0·B/A, with B/A as one multi-pairing  (seed 003, Decrypt_ATT)
        return ct.c0().multiply(group.multiPair(ps, qs));
    }

    /** Encrypt_ID(id, m). */
    public IdentityCiphertext encryptForIdentity(String identity, GtElement m) {
        Objects.requireNonNull(m, "message is required");
        String id = AccessPolicy.foldAttribute(identity);
        BigInteger s = group.randomScalar(random());
        BigInteger r = group.randomScalar(random());
        // C0 = m·e(g1,g2)^{α s}  (seed 003, Encrypt_ID)
        GtElement c0 = m.multiply(pp.eggAlpha().pow(s));
        // C1 = g1^s  (seed 003, Encrypt_ID)
        G1Element c1 = group.g1().multiply(s);
        // C2 = g1^{a s}·H(id)^{-r}  (seed 003, Encrypt_ID)
        G1Element c2 = pp.g1A().multiply(s).add(hashes.identity(id).multiply(r).negate());
        // C3 = g2^r  (seed 003, Encrypt_ID)
        G2Element c3 = group.g2().multiply(r);
        return new IdentityCiphertext(id, c0, c1, c2, c3);
    }

    /** Decrypt_ID(SK_id, CT): one multi-pairing of three pairs. */
    public GtElement decrypt(IdentityKey key, IdentityCiphertext ct) throws ProtocolException {
        Objects.requireNonNull(key, "key is required");
        Objects.requireNonNull(ct, "ciphertext is required");
        if (!key.identity().equals(ct.identity())) {
            throw new ProtocolException(Reason.NOT_AUTHORIZED, "the ciphertext is for another identity");
        }
        // B/A = e(C2, K1)·e(K_id, C3) / e(C1, K0)  (seed 003, Decrypt_ID)
        GtElement bOverA = group.multiPair(
                List.of(ct.c1().negate(), ct.c2(), key.kId()),
                List.of(key.k0(), key.k1(), ct.c3()));
        // m = C0·B/A  (seed 003, Decrypt_ID)
        return ct.c0().multiply(bOverA);
    }

    /** Sign(SK_id, m). */
    public IbsSignature sign(IdentityKey key, byte[] message) {
        Objects.requireNonNull(key, "key is required");
        Objects.requireNonNull(message, "message is required");
        BigInteger delta = group.randomScalar(random());
        BigInteger tau = group.randomScalar(random());
        // re-randomize t → t' = t + δ: K0 = g2^α g2^{a t'}, K1 = g2^{t'}, K_id = H(id)^{t'}  (seed 003, Sign)
        G2Element k0 = key.k0().add(pp.g2A().multiply(delta));
        G2Element k1 = key.k1().add(group.g2().multiply(delta));
        G1Element kId = key.kId().add(hashes.identity(key.identity()).multiply(delta));
        // S0 = K0·(g2^a)^τ  (seed 003, Sign)
        G2Element s0 = k0.add(pp.g2A().multiply(tau));
        // S1 = K1 = g2^{t'}  (seed 003, Sign)
        G2Element s1 = k1;
        // S2 = g2^τ  (seed 003, Sign)
        G2Element s2 = group.g2().multiply(tau);
        // S3 = K_id·H(m)^τ  (seed 003, Sign)
        G1Element s3 = kId.add(hashes.message(message).multiply(tau));
        return new IbsSignature(key.identity(), s0, s1, s2, s3);
    }

    /**
     * Verify(σ, m) for the signer {@code expectedIdentity}:
     * e(g1, S0)·e(S3, g2) == e(g1,g2)^α·e(g1^a·H(id), S1)·e(g1^a·H(m), S2)  (PROTOCOLS.md §4).
     *
     * @throws ProtocolException {@link Reason#BAD_SIGNATURE} if σ is not a valid signature on m by that identity
     */
    public void verify(String expectedIdentity, IbsSignature sigma, byte[] message) throws ProtocolException {
        Objects.requireNonNull(sigma, "signature is required");
        Objects.requireNonNull(message, "message is required");
        if (!AccessPolicy.foldAttribute(expectedIdentity).equals(sigma.identity())) {
            throw new ProtocolException(Reason.BAD_SIGNATURE, "signature names another signer");
        }
        if (sigma.s0().isIdentity() || sigma.s1().isIdentity() || sigma.s2().isIdentity() || sigma.s3().isIdentity()) {
            throw new ProtocolException(Reason.BAD_SIGNATURE, "signature component is the identity element");
        }
        G1Element hId = hashes.identity(sigma.identity());
        G1Element hM = hashes.message(message);
        // e(g1,S0)·e(S3,g2)·e(g1^a·H(id), S1)^{-1}·e(g1^a·H(m), S2)^{-1} == e(g1,g2)^α, one final exponentiation
        GtElement lhs = group.multiPair(
                List.of(group.g1(), sigma.s3(), pp.g1A().add(hId).negate(), pp.g1A().add(hM).negate()),
                List.of(sigma.s0(), group.g2(), sigma.s1(), sigma.s2()));
        if (!lhs.equals(pp.eggAlpha())) {
            throw new ProtocolException(Reason.BAD_SIGNATURE, "IBS signature does not verify");
        }
    }
}
