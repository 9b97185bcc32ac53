package org.medledger.protocol.pairing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * The behaviour every {@link PairingGroup} must show; run against blst
 * ({@link NativeBls12381Test}) and the pure-Java implementation ({@link PureJavaBls12381Test}).
 */
abstract class PairingGroupContract {

    /** The implementation under test. */
    protected abstract PairingGroup createGroup();


    private static final BigInteger P = Bls12381.FIELD_PRIME;
    private final PairingGroup group = createGroup();
    private final SecureRandom random = FixedRandom.seeded(7);

    @Test
    void hashToG1MatchesRfc9380Vectors() throws Exception {
        String dst = "QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_RO_";
        int count = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("rfc9380-bls12381g1-xmd-sha256-sswu-ro.txt"), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\\|", -1);
                byte[] expected = OffSubgroupPoints.compressedG1(new BigInteger(f[1], 16), new BigInteger(f[2], 16));
                G1Element h = group.hashToG1(f[0].getBytes(StandardCharsets.US_ASCII), dst);
                assertArrayEquals(expected, h.toBytes(), "vector msg=" + f[0]);
                count++;
            }
        }
        assertEquals(5, count);
    }

    @Test
    void hashToG1DependsOnTheDomainSeparationTag() {
        byte[] m = "insurer".getBytes(StandardCharsets.UTF_8);
        assertNotEquals(group.hashToG1(m, "A"), group.hashToG1(m, "B"));
    }

    @Test
    void pairingIsBilinear() {
        BigInteger a = group.randomScalar(random);
        BigInteger b = group.randomScalar(random);
        GtElement left = group.pair(group.g1().multiply(a), group.g2().multiply(b));
        GtElement right = group.pair(group.g1(), group.g2()).pow(a.multiply(b));
        assertEquals(right, left);
        assertEquals(group.pair(group.g1().multiply(a), group.g2()), group.pair(group.g1(), group.g2().multiply(a)));
        assertFalse(group.pair(group.g1(), group.g2()).isOne(), "non-degenerate");
    }

    @Test
    void multiPairingEqualsProductOfPairings() {
        List<G1Element> ps = new ArrayList<>();
        List<G2Element> qs = new ArrayList<>();
        GtElement product = group.gtOne();
        for (int i = 0; i < 4; i++) {
            G1Element p = group.g1().multiply(group.randomScalar(random));
            G2Element q = group.g2().multiply(group.randomScalar(random));
            ps.add(p);
            qs.add(q);
            product = product.multiply(group.pair(p, q));
        }
        assertEquals(product, group.multiPair(ps, qs));
        // e(P, Q)·e(-P, Q) = 1
        G1Element p = ps.get(0);
        assertTrue(group.multiPair(List.of(p, p.negate()), List.of(qs.get(0), qs.get(0))).isOne());
    }

    @Test
    void gtPowerAgreesWithRepeatedMultiplication() {
        GtElement e = group.pair(group.g1(), group.g2());
        GtElement acc = group.gtOne();
        for (int i = 0; i < 5; i++) {
            acc = acc.multiply(e);
        }
        assertEquals(acc, e.pow(BigInteger.valueOf(5)));
        assertTrue(e.pow(group.order()).isOne());
        assertTrue(e.pow(BigInteger.ZERO).isOne());
    }

    @Test
    void elementsRoundTripThroughTheirEncodings() throws ProtocolException {
        BigInteger k = group.randomScalar(random);
        G1Element p = group.g1().multiply(k);
        G2Element q = group.g2().multiply(k);
        GtElement t = group.pair(p, q);
        assertEquals(p, group.decodeG1(p.toBytes()));
        assertEquals(q, group.decodeG2(q.toBytes()));
        assertEquals(t, group.decodeGt(t.toBytes()));
        assertEquals(group.g1Length(), p.toBytes().length);
        assertEquals(group.g2Length(), q.toBytes().length);
        assertEquals(group.gtLength(), t.toBytes().length);
        // the decoded GT element is a working value, not just equal bytes
        assertEquals(t.multiply(t), group.decodeGt(t.toBytes()).multiply(t));
    }

    @Test
    void decodingRejectsG1PointOnCurveButOutsideTheSubgroup() {
        byte[] enc = OffSubgroupPoints.g1();
        ProtocolException e = assertThrows(ProtocolException.class, () -> group.decodeG1(enc));
        assertEquals(Reason.BAD_POINT, e.reason());
    }

    @Test
    void decodingRejectsG2PointOnCurveButOutsideTheSubgroup() {
        byte[] enc = OffSubgroupPoints.g2();
        ProtocolException e = assertThrows(ProtocolException.class, () -> group.decodeG2(enc));
        assertEquals(Reason.BAD_POINT, e.reason());
    }

    @Test
    void decodingRejectsIdentityWrongLengthUncompressedAndGarbage() {
        byte[] inf = new byte[48];
        inf[0] = (byte) 0xc0;
        assertBadPoint(() -> group.decodeG1(inf));
        assertBadPoint(() -> group.decodeG1(new byte[47]));
        byte[] withTrailing = new byte[49];
        System.arraycopy(group.g1().toBytes(), 0, withTrailing, 0, 48);
        assertBadPoint(() -> group.decodeG1(withTrailing));
        byte[] uncompressedFlag = group.g1().toBytes();
        uncompressedFlag[0] &= 0x7f;
        assertBadPoint(() -> group.decodeG1(uncompressedFlag));
        byte[] notOnCurve = group.g1().toBytes();
        notOnCurve[47] ^= 1;
        assertBadPoint(() -> group.decodeG1(notOnCurve));
        byte[] xTooLarge = new byte[48];
        java.util.Arrays.fill(xTooLarge, (byte) 0xff);
        xTooLarge[0] = (byte) 0x9f;
        assertBadPoint(() -> group.decodeG1(xTooLarge));
        byte[] g2inf = new byte[96];
        g2inf[0] = (byte) 0xc0;
        assertBadPoint(() -> group.decodeG2(g2inf));
        assertBadPoint(() -> group.decodeG2(group.g1().toBytes()));
    }

    @Test
    void decodingRejectsGtValuesOutsideTheSubgroupOrNonCanonical() {
        byte[] t = group.pair(group.g1(), group.g2()).toBytes();
        byte[] tweaked = t.clone();
        tweaked[575] ^= 1;
        assertBadPoint(() -> group.decodeGt(tweaked));
        byte[] nonCanonical = t.clone();
        byte[] p = OffSubgroupPoints.toFixed(P, 48);
        System.arraycopy(p, 0, nonCanonical, 0, 48); // coefficient = p
        assertBadPoint(() -> group.decodeGt(nonCanonical));
        assertBadPoint(() -> group.decodeGt(new byte[575]));
    }

    @Test
    void decodingRejectsFp12ElementsOutsideGtOfEveryKind() throws ProtocolException {
        org.apache.milagro.amcl.BLS381.FP12 z = GtOutsiders.random(FixedRandom.seeded(12));
        org.apache.milagro.amcl.BLS381.FP12 wrongOrder = GtOutsiders.cyclotomicWrongOrder(z);
        org.apache.milagro.amcl.BLS381.FP12 shifted = GtOutsiders.gtGenerator();
        shifted.mul(wrongOrder);
        assertBadPoint(() -> group.decodeGt(GtOutsiders.encode(z)));                       // not cyclotomic
        assertBadPoint(() -> group.decodeGt(GtOutsiders.encode(GtOutsiders.two())));      // a scalar of Fp
        assertBadPoint(() -> group.decodeGt(GtOutsiders.encode(GtOutsiders.unitary(z))));  // unitary, not cyclotomic
        assertBadPoint(() -> group.decodeGt(GtOutsiders.encode(wrongOrder)));               // cyclotomic, wrong order
        assertBadPoint(() -> group.decodeGt(GtOutsiders.encode(shifted)));                  // e(g1, g2) times that
        GtElement inGt = group.pair(group.g1(), group.g2());
        assertArrayEquals(inGt.toBytes(), GtOutsiders.encode(GtOutsiders.gtGenerator()));
        assertEquals(inGt, group.decodeGt(inGt.toBytes()));
    }

    @Test
    void elementsOfAnotherImplementationAreRefused() {
        G1Element g1 = foreign(G1Element.class);
        G2Element g2 = foreign(G2Element.class);
        assertForeign("G1", () -> group.g1().add(g1));
        assertForeign("G2", () -> group.g2().add(g2));
        assertForeign("G1", () -> group.pair(g1, group.g2()));
        assertForeign("G2", () -> group.pair(group.g1(), g2));
        assertNotEquals(group.g1(), g1);
        assertNotEquals(group.g2(), g2);
    }

    /** An element of some other implementation; any call on it fails the test. */
    private static <T> T foreign(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            throw new AssertionError("the foreign element was used: " + method.getName());
        }));
    }

    private static void assertForeign(String group, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(group + " element from another pairing implementation", e.getMessage());
    }

    private static void assertBadPoint(org.junit.jupiter.api.function.Executable call) {
        ProtocolException e = assertThrows(ProtocolException.class, call);
        assertEquals(Reason.BAD_POINT, e.reason());
    }
}
