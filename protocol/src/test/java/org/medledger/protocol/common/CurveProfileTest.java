package org.medledger.protocol.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.math.BigInteger;
import java.util.stream.Stream;

import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.medledger.protocol.testkit.BadPoints;
import org.medledger.protocol.testkit.Fixtures;

class CurveProfileTest {

    @Test
    void lengthsFollowTheCurve() {
        assertEquals(33, CurveProfile.p256().compressedPointLength());
        assertEquals(32, CurveProfile.p256().scalarLength());
        assertEquals(49, CurveProfile.p384().compressedPointLength());
        assertEquals(48, CurveProfile.p384().scalarLength());
    }

    @Test
    void namedLooksUpConfiguredCurves() throws ProtocolException {
        assertEquals(CurveProfile.p256(), CurveProfile.named("secp256r1"));
        assertEquals(CurveProfile.p384(), CurveProfile.named("P-384"));
        ProtocolException e = assertThrows(ProtocolException.class, () -> CurveProfile.named("secp256k1"));
        assertEquals(Reason.BAD_PARAMETER, e.reason());
    }

    @Test
    void compressedPointRoundTrips() throws ProtocolException {
        for (CurveProfile c : new CurveProfile[] {CurveProfile.p256(), CurveProfile.p384()}) {
            ECPoint p = c.multiplyGenerator(c.randomScalar(Fixtures.seededRandom(1)));
            assertEquals(p, c.decodePoint(c.encodePoint(p)));
        }
    }

    @Test
    void fixedBaseAndSimultaneousMultiplicationAgreeWithPlainMultiplication() {
        CurveProfile c = CurveProfile.p256();
        BigInteger a = c.randomScalar(Fixtures.seededRandom(2));
        BigInteger b = c.randomScalar(Fixtures.seededRandom(3));
        ECPoint q = c.generator().multiply(BigInteger.valueOf(12345)).normalize();
        assertEquals(c.generator().multiply(a).normalize(), c.multiplyGenerator(a));
        assertEquals(c.generator().multiply(a).add(q.multiply(b)).normalize(), c.multiplyGeneratorPlus(a, q, b));
    }

    @TestFactory
    Stream<DynamicTest> p256PointDecoderRejectsEveryBadEncoding() {
        return rejectAll(CurveProfile.p256());
    }

    @TestFactory
    Stream<DynamicTest> p384PointDecoderRejectsEveryBadEncoding() {
        return rejectAll(CurveProfile.p384());
    }

    private static Stream<DynamicTest> rejectAll(CurveProfile c) {
        return BadPoints.forCurve(c).entrySet().stream().map(e -> dynamicTest(e.getKey(), () -> {
            ProtocolException ex = assertThrows(ProtocolException.class, () -> c.decodePoint(e.getValue()));
            assertEquals(Reason.BAD_POINT, ex.reason());
        }));
    }

    @Test
    void anyFormatDecoderAcceptsUncompressedButNotHybridOrOffCurve() throws ProtocolException {
        CurveProfile c = CurveProfile.p256();
        ECPoint p = c.multiplyGenerator(BigInteger.valueOf(7));
        assertEquals(p, c.decodePointAnyFormat(p.getEncoded(false)));
        byte[] hybrid = p.getEncoded(false);
        hybrid[0] = 0x06;
        assertEquals(Reason.BAD_POINT, assertThrows(ProtocolException.class, () -> c.decodePointAnyFormat(hybrid)).reason());
        byte[] off = p.getEncoded(false);
        off[40] ^= 1;
        assertEquals(Reason.BAD_POINT, assertThrows(ProtocolException.class, () -> c.decodePointAnyFormat(off)).reason());
    }

    @Test
    void scalarCodecIsFixedLengthAndRangeChecked() throws ProtocolException {
        CurveProfile c = CurveProfile.p256();
        byte[] one = c.encodeScalar(BigInteger.ONE);
        assertEquals(32, one.length);
        assertEquals(BigInteger.ONE, c.decodeScalar(one));
        assertEquals(Reason.BAD_SCALAR, assertThrows(ProtocolException.class, () -> c.decodeScalar(new byte[32])).reason());
        byte[] n = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, c.order());
        assertEquals(Reason.BAD_SCALAR, assertThrows(ProtocolException.class, () -> c.decodeScalar(n)).reason());
        assertEquals(Reason.BAD_SCALAR, assertThrows(ProtocolException.class, () -> c.decodeScalar(new byte[31])).reason());
        assertEquals(Reason.BAD_SCALAR, assertThrows(ProtocolException.class, () -> c.decodeScalar(new byte[33])).reason());
        BigInteger nMinus1 = c.order().subtract(BigInteger.ONE);
        assertArrayEquals(org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, nMinus1), c.encodeScalar(nMinus1));
    }
}
