package org.medledger.protocol.abe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.pairing.Bls12381;
import org.medledger.protocol.pairing.FixedRandom;
import org.medledger.protocol.pairing.G1Element;
import org.medledger.protocol.pairing.GtElement;
import org.medledger.protocol.pairing.PairingGroup;

class CombinedSchemeTest {

    private final PairingGroup group = Bls12381.get();
    private final SecureRandom random = FixedRandom.seeded(3);
    private final KeyGenerationCenter kgc = new KeyGenerationCenter(group, random);
    private final CombinedScheme scheme = new CombinedScheme(kgc.publicParameters(), random);

    private GtElement roundTrip(String policy, Set<String> attributes) throws ProtocolException {
        GtElement m = scheme.randomMessage();
        PolicyCiphertext ct = scheme.encrypt(AccessPolicy.parse(policy), m);
        GtElement out = scheme.decrypt(kgc.issueAttributeKey(attributes), ct);
        assertEquals(m, out, policy + " / " + attributes);
        return out;
    }

    @Test
    void attributeKeyThatSatisfiesThePolicyDecrypts() throws ProtocolException {
        roundTrip("insurer AND claims", Set.of("Insurer", "claims", "auditor"));
        roundTrip("insurer OR researcher", Set.of("researcher"));
        roundTrip("2 of (a, b, c)", Set.of("a", "c"));
        roundTrip("x AND 2 of (a, b OR d, 3 of (e, f, g, h))", Set.of("x", "d", "e", "g", "h"));
    }

    @Test
    void policyEdgeCasesDecrypt() throws ProtocolException {
        roundTrip("single", Set.of("single"));
        roundTrip("a AND a", Set.of("a"));                                   // duplicate attribute
        roundTrip("((((((((a AND b) OR c) AND d) OR e) AND f) OR g) AND h) OR i)", Set.of("c", "d", "f", "h"));
        roundTrip("5 of (a, b, c, d, e, f)", Set.of("a", "b", "c", "e", "f"));
    }

    @Test
    void keyThatMissesAnAttributeCannotDecrypt() throws ProtocolException {
        PolicyCiphertext ct = scheme.encrypt(AccessPolicy.parse("insurer AND claims"), scheme.randomMessage());
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> scheme.decrypt(kgc.issueAttributeKey(Set.of("insurer")), ct));
        assertEquals(Reason.POLICY_NOT_SATISFIED, e.reason());
        PolicyCiphertext unknown = scheme.encrypt(AccessPolicy.parse("nobody-has-this"), scheme.randomMessage());
        assertThrows(ProtocolException.class, () -> scheme.decrypt(kgc.issueAttributeKey(Set.of("insurer")), unknown));
        PolicyCiphertext threshold = scheme.encrypt(AccessPolicy.parse("3 of (a, b, c, d)"), scheme.randomMessage());
        assertThrows(ProtocolException.class, () -> scheme.decrypt(kgc.issueAttributeKey(Set.of("a", "d")), threshold));
    }

    /**
     * Two users each holding half of "insurer AND claims" pool their key components: every
     * combination that the decryption equation allows yields a wrong message, because their
     * keys carry different t (K1 = g2^t) and the e(g1,g2)^{a t s} blinding does not cancel.
     */
    @Test
    void colludingUsersCannotCombineTheirKeys() throws ProtocolException {
        GtElement m = scheme.randomMessage();
        PolicyCiphertext ct = scheme.encrypt(AccessPolicy.parse("insurer AND claims"), m);
        AttributeKey alice = kgc.issueAttributeKey(Set.of("insurer"));
        AttributeKey bob = kgc.issueAttributeKey(Set.of("claims"));
        // A forged key using Alice's K0, K1 and both K_x.
        Map<String, G1Element> pooled = new HashMap<>();
        pooled.put("insurer", alice.kx("insurer"));
        pooled.put("claims", bob.kx("claims"));
        AttributeKey withAliceBase = new AttributeKey(alice.k0(), alice.k1(), pooled);
        AttributeKey withBobBase = new AttributeKey(bob.k0(), bob.k1(), pooled);
        assertNotEquals(m, scheme.decrypt(withAliceBase, ct));
        assertNotEquals(m, scheme.decrypt(withBobBase, ct));
        // Mixed base (K0 of one, K1 of the other) is no better.
        assertNotEquals(m, scheme.decrypt(new AttributeKey(alice.k0(), bob.k1(), pooled), ct));
        // An honest key with both attributes does decrypt (the test would be vacuous otherwise).
        assertEquals(m, scheme.decrypt(kgc.issueAttributeKey(Set.of("insurer", "claims")), ct));
    }

    @Test
    void identityKeyIsNotAnAttributeKeyForTheSameString() throws ProtocolException {
        // An identity named "insurer" must not open a policy on the attribute "insurer".
        GtElement m = scheme.randomMessage();
        PolicyCiphertext ct = scheme.encrypt(AccessPolicy.parse("insurer"), m);
        IdentityKey id = kgc.issueIdentityKey("insurer");
        AttributeKey misused = new AttributeKey(id.k0(), id.k1(), Map.of("insurer", id.kId()));
        assertNotEquals(m, scheme.decrypt(misused, ct));
    }

    @Test
    void identityEncryptionRoundTripsAndRefusesOtherIdentities() throws ProtocolException {
        GtElement m = scheme.randomMessage();
        IdentityCiphertext ct = scheme.encryptForIdentity("hospital:st-mary", m);
        assertEquals(m, scheme.decrypt(kgc.issueIdentityKey("Hospital:St-Mary"), ct));
        IdentityKey other = kgc.issueIdentityKey("hospital:other");
        assertThrows(ProtocolException.class, () -> scheme.decrypt(other, ct));
        // Even relabelled, another identity's key yields garbage.
        IdentityCiphertext relabelled = new IdentityCiphertext("hospital:other", ct.c0(), ct.c1(), ct.c2(), ct.c3());
        assertNotEquals(m, scheme.decrypt(other, relabelled));
    }

    @Test
    void ibsSignatureVerifies() throws ProtocolException {
        IdentityKey key = kgc.issueIdentityKey("patient:42");
        byte[] msg = "authorize insurer AND claims".getBytes(StandardCharsets.UTF_8);
        IbsSignature sigma = scheme.sign(key, msg);
        scheme.verify("patient:42", sigma, msg);
        // signatures are randomized
        assertNotEquals(sigma.s1(), scheme.sign(key, msg).s1());
    }

    @Test
    void ibsRejectsWrongIdentityModifiedMessageAndMixedSignatures() throws ProtocolException {
        IdentityKey key = kgc.issueIdentityKey("patient:42");
        byte[] msg = "m1".getBytes(StandardCharsets.UTF_8);
        byte[] msg2 = "m2".getBytes(StandardCharsets.UTF_8);
        IbsSignature a = scheme.sign(key, msg);
        IbsSignature b = scheme.sign(key, msg);
        assertBadSignature(() -> scheme.verify("patient:43", a, msg));
        IbsSignature relabelled = new IbsSignature("patient:43", a.s0(), a.s1(), a.s2(), a.s3());
        assertBadSignature(() -> scheme.verify("patient:43", relabelled, msg));
        assertBadSignature(() -> scheme.verify("patient:42", a, msg2));
        // parts of two valid signatures on the same message
        assertBadSignature(() -> scheme.verify("patient:42", new IbsSignature("patient:42", a.s0(), b.s1(), a.s2(), a.s3()), msg));
        assertBadSignature(() -> scheme.verify("patient:42", new IbsSignature("patient:42", a.s0(), a.s1(), b.s2(), b.s3()), msg));
        assertBadSignature(() -> scheme.verify("patient:42", new IbsSignature("patient:42", b.s0(), a.s1(), a.s2(), a.s3()), msg));
        // a different KGC's key
        KeyGenerationCenter otherKgc = new KeyGenerationCenter(group, random);
        IbsSignature foreign = new CombinedScheme(otherKgc.publicParameters(), random)
                .sign(otherKgc.issueIdentityKey("patient:42"), msg);
        assertBadSignature(() -> scheme.verify("patient:42", foreign, msg));
    }

    @Test
    void ibsRejectsIdentityElements() {
        G1Element one = group.g1().multiply(BigInteger.ZERO);
        IbsSignature degenerate = new IbsSignature("p", group.g2(), group.g2(), group.g2(), one);
        assertBadSignature(() -> scheme.verify("p", degenerate, new byte[0]));
    }

    private static void assertBadSignature(org.junit.jupiter.api.function.Executable call) {
        ProtocolException e = assertThrows(ProtocolException.class, call);
        assertEquals(Reason.BAD_SIGNATURE, e.reason());
    }
}
