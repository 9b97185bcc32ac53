package org.medledger.protocol.abe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.pairing.Bls12381;
import org.medledger.protocol.pairing.FixedRandom;
import org.medledger.protocol.pairing.GtElement;
import org.medledger.protocol.pairing.OffSubgroupPoints;
import org.medledger.protocol.pairing.PairingGroup;

class AbeEncodingTest {

    private final PairingGroup group = Bls12381.get();
    private final SecureRandom random = FixedRandom.seeded(5);
    private final KeyGenerationCenter kgc = new KeyGenerationCenter(group, random);
    private final CombinedScheme scheme = new CombinedScheme(kgc.publicParameters(), random);

    @Test
    void messagesRoundTripAndStillWork() throws ProtocolException {
        PublicParameters pp = PublicParameters.decode(group, kgc.publicParameters().toBytes());
        CombinedScheme fromWire = new CombinedScheme(pp, random);
        GtElement m = fromWire.randomMessage();
        PolicyCiphertext ct = PolicyCiphertext.decode(group, fromWire.encrypt(AccessPolicy.parse("a AND 2 of (b, c, d)"), m).toBytes());
        assertEquals(m, scheme.decrypt(kgc.issueAttributeKey(Set.of("a", "b", "d")), ct));
        IdentityCiphertext ict = IdentityCiphertext.decode(group, fromWire.encryptForIdentity("h1", m).toBytes());
        assertEquals(m, scheme.decrypt(kgc.issueIdentityKey("h1"), ict));
        byte[] msg = "x".getBytes(StandardCharsets.UTF_8);
        IbsSignature sig = IbsSignature.decode(group, scheme.sign(kgc.issueIdentityKey("p"), msg).toBytes());
        fromWire.verify("p", sig, msg);
        assertArrayEquals(sig.toBytes(), IbsSignature.decode(group, sig.toBytes()).toBytes());
    }

    @Test
    void decodingRejectsTrailingBytesWrongLabelsAndTruncation() {
        byte[] sig = scheme.sign(kgc.issueIdentityKey("p"), new byte[1]).toBytes();
        byte[] trailing = Arrays.copyOf(sig, sig.length + 1);
        assertMalformed(() -> IbsSignature.decode(group, trailing));
        assertMalformed(() -> IbsSignature.decode(group, Arrays.copyOf(sig, sig.length - 1)));
        assertMalformed(() -> PolicyCiphertext.decode(group, sig));
        assertMalformed(() -> IbsSignature.decode(group, null));
    }

    @Test
    void signatureDecodingRejectsPointsOutsideTheSubgroup() {
        IbsSignature good = scheme.sign(kgc.issueIdentityKey("p"), new byte[1]);
        byte[] badS3 = OffSubgroupPoints.g1();
        byte[] forged = LabelledEncoder.of(IbsSignature.LABEL).utf8("p").bytes(good.s0().toBytes())
                .bytes(good.s1().toBytes()).bytes(good.s2().toBytes()).bytes(badS3).toByteArray();
        ProtocolException e = assertThrows(ProtocolException.class, () -> IbsSignature.decode(group, forged));
        assertEquals(Reason.BAD_POINT, e.reason());
        byte[] badS0 = OffSubgroupPoints.g2();
        byte[] forged2 = LabelledEncoder.of(IbsSignature.LABEL).utf8("p").bytes(badS0)
                .bytes(good.s1().toBytes()).bytes(good.s2().toBytes()).bytes(good.s3().toBytes()).toByteArray();
        assertEquals(Reason.BAD_POINT, assertThrows(ProtocolException.class, () -> IbsSignature.decode(group, forged2)).reason());
    }

    @Test
    void ciphertextDecodingRejectsNonCanonicalPolicyAndRowCountMismatch() throws ProtocolException {
        PolicyCiphertext ct = scheme.encrypt(AccessPolicy.parse("a AND b"), scheme.randomMessage());
        byte[] nonCanonical = LabelledEncoder.of(PolicyCiphertext.LABEL).utf8("A and B").bytes(ct.c0().toBytes())
                .bytes(ct.c1().toBytes()).int32(2)
                .bytes(ct.rows().get(0).c2().toBytes()).bytes(ct.rows().get(0).c3().toBytes())
                .bytes(ct.rows().get(1).c2().toBytes()).bytes(ct.rows().get(1).c3().toBytes()).toByteArray();
        assertMalformed(() -> PolicyCiphertext.decode(group, nonCanonical));
        byte[] wrongCount = LabelledEncoder.of(PolicyCiphertext.LABEL).utf8("a AND b").bytes(ct.c0().toBytes())
                .bytes(ct.c1().toBytes()).int32(1)
                .bytes(ct.rows().get(0).c2().toBytes()).bytes(ct.rows().get(0).c3().toBytes()).toByteArray();
        assertMalformed(() -> PolicyCiphertext.decode(group, wrongCount));
    }

    @Test
    void publicParametersWithMismatchedExponentsAreRefused() {
        PublicParameters pp = kgc.publicParameters();
        byte[] bad = LabelledEncoder.of(PublicParameters.LABEL).utf8(group.name()).bytes(pp.g1A().toBytes())
                .bytes(pp.g2A().add(group.g2()).toBytes()).bytes(pp.eggAlpha().toBytes()).toByteArray();
        ProtocolException e = assertThrows(ProtocolException.class, () -> PublicParameters.decode(group, bad));
        assertEquals(Reason.BAD_PARAMETER, e.reason());
    }

    private static void assertMalformed(org.junit.jupiter.api.function.Executable call) {
        ProtocolException e = assertThrows(ProtocolException.class, call);
        assertEquals(Reason.MALFORMED_MESSAGE, e.reason());
    }

    @Test
    void issuedKeysRoundTripAndAreCheckedAgainstThePublicParameters() throws ProtocolException {
        PublicParameters pp = kgc.publicParameters();
        AttributeKey key = kgc.issueAttributeKey(Set.of("Insurer", "claims"));
        AttributeKey stored = AttributeKey.decode(pp, key.toBytes());
        assertEquals(key.attributes(), stored.attributes());
        GtElement m = scheme.randomMessage();
        assertEquals(m, scheme.decrypt(stored, scheme.encrypt(AccessPolicy.parse("insurer AND claims"), m)));
        IdentityKey id = IdentityKey.decode(pp, kgc.issueIdentityKey("Hospital:1").toBytes());
        CombinedScheme.forVerification(pp).verify("hospital:1", scheme.sign(id, new byte[] {1}), new byte[] {1});
        // a key from another KGC, or with a swapped component, is refused on receipt
        KeyGenerationCenter other = new KeyGenerationCenter(group, random);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> AttributeKey.decode(pp, other.issueAttributeKey(Set.of("insurer")).toBytes()));
        assertEquals(Reason.BAD_PARTIAL_KEY, e.reason());
        AttributeKey a = kgc.issueAttributeKey(Set.of("insurer"));
        AttributeKey b = kgc.issueAttributeKey(Set.of("claims"));
        AttributeKey mixed = new AttributeKey(a.k0(), a.k1(), java.util.Map.of("insurer", a.kx("insurer"), "claims", b.kx("claims")));
        assertEquals(Reason.BAD_PARTIAL_KEY,
                assertThrows(ProtocolException.class, () -> CombinedScheme.forVerification(pp).requireWellFormed(mixed)).reason());
        assertThrows(IllegalStateException.class, () -> CombinedScheme.forVerification(pp).randomMessage());
    }
}
