package org.medledger.protocol.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void secretBytesNeverPrintContentAndCompareByValue() {
        SecretBytes a = SecretBytes.copyOf(new byte[] {0x41, 0x42});
        SecretBytes b = SecretBytes.copyOf(new byte[] {0x41, 0x42});
        assertFalse(a.toString().contains("41") || a.toString().contains("AB"));
        assertEquals(a, b);
        assertNotEquals(a, SecretBytes.copyOf(new byte[] {0x41, 0x43}));
        assertTrue(a.equalsBytes(new byte[] {0x41, 0x42}));
    }

    @Test
    void secretBytesAreCopiedInAndOut() {
        byte[] raw = {1, 2, 3};
        SecretBytes s = SecretBytes.copyOf(raw);
        raw[0] = 9;
        byte[] out = s.reveal();
        out[1] = 9;
        assertTrue(s.equalsBytes(new byte[] {1, 2, 3}));
    }

    @Test
    void destroyedSecretsRefuseAccess() throws ProtocolException {
        SecretBytes s = SecretBytes.copyOf(new byte[] {1});
        s.destroy();
        assertTrue(s.isDestroyed());
        assertThrows(IllegalStateException.class, s::reveal);
        SecretScalar k = SecretScalar.of(CurveProfile.p256(), BigInteger.TEN);
        k.destroy();
        assertThrows(IllegalStateException.class, k::reveal);
    }

    @Test
    void destroyWipesTheHeldBytes() {
        byte[] held = {1, 2, 3};
        SecretBytes s = SecretBytes.adopt(held);
        s.destroy();
        assertArrayEquals(new byte[3], held);
    }

    @Test
    void destroyedSecretsRefuseCopiesAndComparison() throws ProtocolException {
        SecretBytes s = SecretBytes.copyOf(new byte[] {1});
        SecretBytes t = s.copy();
        s.destroy();
        assertThrows(IllegalStateException.class, s::copy);
        assertThrows(IllegalStateException.class, () -> s.equalsBytes(new byte[] {1}));
        assertThrows(IllegalStateException.class, () -> t.equals(s));
        SecretScalar k = SecretScalar.of(CurveProfile.p256(), BigInteger.TEN);
        SecretScalar l = k.copy();
        k.destroy();
        assertTrue(k.isDestroyed());
        assertThrows(IllegalStateException.class, k::copy);
        assertThrows(IllegalStateException.class, k::encoded);
        assertThrows(IllegalStateException.class, () -> l.equals(k));
        assertEquals(BigInteger.TEN, l.reveal());
    }

    @Test
    void secretScalarRangeIsEnforcedAndNotPrinted() throws ProtocolException {
        CurveProfile c = CurveProfile.p256();
        assertEquals(Reason.BAD_SCALAR, assertThrows(ProtocolException.class, () -> SecretScalar.of(c, BigInteger.ZERO)).reason());
        assertEquals(Reason.BAD_SCALAR, assertThrows(ProtocolException.class, () -> SecretScalar.of(c, c.order())).reason());
        SecretScalar k = SecretScalar.of(c, new BigInteger("123456789"));
        assertFalse(k.toString().contains("123456789"));
        assertFalse(k.toString().contains(Integer.toHexString(123456789)));
        assertEquals(k, SecretScalar.of(c, new BigInteger("123456789")));
    }
}
