package org.medledger.protocol.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

class HashToScalarTest {

    private static final byte[] DST = "QUUX-V01-CS02-with-expander-SHA256-128".getBytes(StandardCharsets.US_ASCII);

    /** RFC 9380 Appendix K.1, expand_message_xmd(SHA-256). */
    @Test
    void expandMessageXmdMatchesRfc9380Vectors() {
        assertEquals("68a985b87eb6b46952128911f2a4412bbc302a9d759667f87f7a21d803f07235",
                Hex.toHexString(HashToScalar.expandMessageXmd(new byte[0], DST, 0x20)));
        assertEquals("d8ccab23b5985ccea865c6c97b6e5b8350e794e603b4b97902f53a8a0d605615",
                Hex.toHexString(HashToScalar.expandMessageXmd("abc".getBytes(StandardCharsets.US_ASCII), DST, 0x20)));
        assertEquals("eff31487c770a893cfb36f912fbfcbff40d5661771ca4b2cb4eafe524333f5c1",
                Hex.toHexString(HashToScalar.expandMessageXmd("abcdef0123456789".getBytes(StandardCharsets.US_ASCII), DST, 0x20)));
        assertEquals("abba86a6129e366fc877aab32fc4ffc70120d8996c88aee2fe4b32d6c7b6437a647e6c3163d40b76a73cf6a5674ef1d8"
                        + "90f95b664ee0afa5359a5c4e07985635bbecbac65d747d3d2da7ec2b8221b17b0ca9dc8a1ac1c07ea6a1e60583e2cb00"
                        + "058e77b7b72a298425cd1b941ad4ec65e8afc50303a22c0f99b0509b4c895f40",
                Hex.toHexString(HashToScalar.expandMessageXmd("abc".getBytes(StandardCharsets.US_ASCII), DST, 0x80)));
    }

    @Test
    void scalarIsFortyEightBytesReducedModN() {
        CurveProfile c = CurveProfile.p256();
        byte[] msg = LabelledEncoder.of("X").utf8("m").toByteArray();
        byte[] dst = HashToScalar.dstFor(c, "X");
        BigInteger expected = new BigInteger(1, HashToScalar.expandMessageXmd(msg, dst, 48)).mod(c.order());
        assertEquals(expected, HashToScalar.hash(c, LabelledEncoder.of("X").utf8("m")));
        assertTrue(expected.compareTo(c.order()) < 0);
    }

    @Test
    void p384UsesSeventyTwoBytes() {
        CurveProfile c = CurveProfile.p384();
        byte[] msg = LabelledEncoder.of("X").utf8("m").toByteArray();
        BigInteger expected = new BigInteger(1, HashToScalar.expandMessageXmd(msg, HashToScalar.dstFor(c, "X"), 72)).mod(c.order());
        assertEquals(expected, HashToScalar.hash(c, LabelledEncoder.of("X").utf8("m")));
    }

    @Test
    void eachLabelIsItsOwnFunction() {
        CurveProfile c = CurveProfile.p256();
        assertNotEquals(HashToScalar.hash(c, LabelledEncoder.of("A").utf8("m")),
                HashToScalar.hash(c, LabelledEncoder.of("B").utf8("m")));
    }
}
