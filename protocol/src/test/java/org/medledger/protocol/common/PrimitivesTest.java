package org.medledger.protocol.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;

import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.medledger.protocol.testkit.Fixtures;

class PrimitivesTest {

    private final CurveProfile curve = CurveProfile.p256();
    private final SecureRandom random = Fixtures.seededRandom(21);

    // ------------------------------------------------------------ ECDSA

    /**
     * RFC 6979 A.2.5: P-256, SHA-256, message "sample": r as published; the published s is the
     * high half, so the canonical signature carries n − s.
     */
    @Test
    void ecdsaNoncesAreDeterministicPerRfc6979() throws ProtocolException {
        SigningKey key = SigningKey.of(SecretScalar.of(curve,
                new BigInteger("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721", 16)));
        byte[] sig = Ecdsa.signRaw(key, "sample".getBytes(StandardCharsets.US_ASCII));
        BigInteger publishedS = new BigInteger("f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8", 16);
        assertEquals("efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
                + Hex.toHexString(org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, curve.order().subtract(publishedS))),
                Hex.toHexString(sig));
    }

    /** Every signature is low-S, and the high-S twin of a valid signature is refused. */
    @Test
    void ecdsaSignsLowSAndRefusesTheHighSTwin() throws ProtocolException {
        SigningKey key = SigningKey.generate(curve, random);
        BigInteger half = curve.order().shiftRight(1);
        for (int i = 0; i < 64; i++) {
            LabelledEncoder m = LabelledEncoder.of("T/low-s").int32(i);
            byte[] sig = Ecdsa.sign(key, m);
            BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64));
            assertTrue(s.compareTo(half) <= 0, "s is the low half");
            Ecdsa.verify(key.verificationKey(), LabelledEncoder.of("T/low-s").int32(i), sig);
            byte[] twin = org.medledger.protocol.testkit.Twins.twin(curve, sig);
            assertFalse(Ecdsa.verifyRaw(key.verificationKey(), m.toByteArray(), twin));
            assertEquals(Reason.BAD_SIGNATURE, assertThrows(ProtocolException.class,
                    () -> Ecdsa.verify(key.verificationKey(), LabelledEncoder.of("T/low-s").int32(0), twin)).reason());
        }
    }

    @Test
    void ecdsaRejectsTamperedMessageSignatureAndWrongKey() throws ProtocolException {
        SigningKey key = SigningKey.generate(curve, random);
        LabelledEncoder m = LabelledEncoder.of("T/sig").utf8("hello");
        byte[] sig = Ecdsa.sign(key, m);
        Ecdsa.verify(key.verificationKey(), LabelledEncoder.of("T/sig").utf8("hello"), sig);
        assertEquals(Reason.BAD_SIGNATURE, assertThrows(ProtocolException.class,
                () -> Ecdsa.verify(key.verificationKey(), LabelledEncoder.of("T/sig").utf8("hellO"), sig)).reason());
        byte[] bad = sig.clone();
        bad[5] ^= 1;
        assertEquals(Reason.BAD_SIGNATURE, assertThrows(ProtocolException.class,
                () -> Ecdsa.verify(key.verificationKey(), LabelledEncoder.of("T/sig").utf8("hello"), bad)).reason());
        SigningKey other = SigningKey.generate(curve, random);
        assertEquals(Reason.BAD_SIGNATURE, assertThrows(ProtocolException.class,
                () -> Ecdsa.verify(other.verificationKey(), LabelledEncoder.of("T/sig").utf8("hello"), sig)).reason());
        assertFalse(Ecdsa.verifyRaw(key.verificationKey(), new byte[0], new byte[63]));
        assertFalse(Ecdsa.verifyRaw(key.verificationKey(), new byte[0], new byte[64]));
    }

    // ------------------------------------------------------------ AES-GCM

    @Test
    void aeadRoundTripsAndRejectsAnyTampering() throws ProtocolException {
        SecretBytes key = SecretBytes.copyOf(new byte[32]);
        AssociatedData ad = new AssociatedData("T/aead", "A", "B", 1000L);
        byte[] pt = "record".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = Aead.seal(key, ad, pt, random);
        assertEquals(12 + pt.length + 16, sealed.length);
        assertArrayEquals(pt, Aead.open(key, ad, sealed));
        for (int i : new int[] {0, 12, sealed.length - 1}) {
            byte[] t = sealed.clone();
            t[i] ^= 1;
            assertEquals(Reason.DECRYPTION_FAILED, assertThrows(ProtocolException.class, () -> Aead.open(key, ad, t)).reason());
        }
        for (AssociatedData other : new AssociatedData[] {
                new AssociatedData("T/aead2", "A", "B", 1000L), new AssociatedData("T/aead", "C", "B", 1000L),
                new AssociatedData("T/aead", "A", "C", 1000L), new AssociatedData("T/aead", "A", "B", 1001L)}) {
            assertEquals(Reason.DECRYPTION_FAILED, assertThrows(ProtocolException.class, () -> Aead.open(key, other, sealed)).reason());
        }
        assertEquals(Reason.DECRYPTION_FAILED, assertThrows(ProtocolException.class,
                () -> Aead.open(SecretBytes.copyOf(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}), ad, sealed)).reason());
        assertEquals(Reason.DECRYPTION_FAILED, assertThrows(ProtocolException.class, () -> Aead.open(key, ad, new byte[20])).reason());
    }

    @Test
    void aeadNoncesAreFresh() {
        SecretBytes key = SecretBytes.copyOf(new byte[32]);
        AssociatedData ad = new AssociatedData("T", "A", "B", 1L);
        byte[] a = Aead.seal(key, ad, new byte[1], random);
        byte[] b = Aead.seal(key, ad, new byte[1], random);
        assertFalse(java.util.Arrays.equals(java.util.Arrays.copyOf(a, 12), java.util.Arrays.copyOf(b, 12)));
    }

    // ------------------------------------------------------------ HPKE

    @Test
    void hpkeRoundTripsAndBindsLabelAadAndRecipient() throws ProtocolException {
        KemKeyPair kp = KemKeyPair.generate(curve, random);
        byte[] pt = "secret".getBytes(StandardCharsets.UTF_8);
        byte[] ct = Hpke.seal(kp.publicKey(), "T/hpke", new byte[] {7}, pt, random);
        assertEquals(65 + pt.length + 16, ct.length);
        assertArrayEquals(pt, Hpke.open(kp, "T/hpke", new byte[] {7}, ct));
        assertEquals(Reason.DECRYPTION_FAILED, assertThrows(ProtocolException.class, () -> Hpke.open(kp, "T/other", new byte[] {7}, ct)).reason());
        assertEquals(Reason.DECRYPTION_FAILED, assertThrows(ProtocolException.class, () -> Hpke.open(kp, "T/hpke", new byte[] {8}, ct)).reason());
        assertEquals(Reason.DECRYPTION_FAILED, assertThrows(ProtocolException.class,
                () -> Hpke.open(KemKeyPair.generate(curve, random), "T/hpke", new byte[] {7}, ct)).reason());
        byte[] t = ct.clone();
        t[t.length - 1] ^= 1;
        assertEquals(Reason.DECRYPTION_FAILED, assertThrows(ProtocolException.class, () -> Hpke.open(kp, "T/hpke", new byte[] {7}, t)).reason());
    }

    @Test
    void hpkeRejectsInvalidEncapsulatedPoints() {
        KemKeyPair kp = KemKeyPair.generate(curve, random);
        byte[] ct = Hpke.seal(kp.publicKey(), "T/hpke", null, new byte[4], random);
        byte[] offCurve = ct.clone();
        offCurve[64] ^= 1;
        assertEquals(Reason.BAD_POINT, assertThrows(ProtocolException.class, () -> Hpke.open(kp, "T/hpke", null, offCurve)).reason());
        byte[] hybrid = ct.clone();
        hybrid[0] = 0x06;
        assertEquals(Reason.BAD_POINT, assertThrows(ProtocolException.class, () -> Hpke.open(kp, "T/hpke", null, hybrid)).reason());
    }

    @Test
    void hpkeWorksOnP384() throws ProtocolException {
        KemKeyPair kp = KemKeyPair.generate(CurveProfile.p384(), random);
        byte[] ct = Hpke.seal(kp.publicKey(), "T", null, new byte[] {1, 2}, random);
        assertArrayEquals(new byte[] {1, 2}, Hpke.open(kp, "T", null, ct));
    }

    // ------------------------------------------------------------ HKDF, MAC, ECDH

    /** RFC 5869 A.1. */
    @Test
    void hkdfMatchesRfc5869() {
        SecretBytes okm = Kdf.hkdf(Hex.decode("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
                Hex.decode("000102030405060708090a0b0c"), Hex.decode("f0f1f2f3f4f5f6f7f8f9"), 42);
        assertTrue(okm.equalsBytes(Hex.decode("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")));
    }

    @Test
    void sessionKeysDependOnLabelAndEveryInput() {
        SecretBytes a = Kdf.deriveKey(LabelledEncoder.of("X/SEK").utf8("1").utf8("2"));
        assertEquals(a, Kdf.deriveKey(LabelledEncoder.of("X/SEK").utf8("1").utf8("2")));
        assertNotEquals(a, Kdf.deriveKey(LabelledEncoder.of("Y/SEK").utf8("1").utf8("2")));
        assertNotEquals(a, Kdf.deriveKey(LabelledEncoder.of("X/SEK").utf8("12").utf8("")));
        assertEquals(32, a.length());
    }

    @Test
    void checkValuesAreKeyedAndComparedStrictly() throws ProtocolException {
        SecretBytes k = SecretBytes.copyOf(new byte[32]);
        byte[] tag = CheckValues.mac(k, LabelledEncoder.of("CHK").utf8("x"));
        CheckValues.requireMac(k, LabelledEncoder.of("CHK").utf8("x"), tag);
        byte[] bad = tag.clone();
        bad[31] ^= 1;
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, assertThrows(ProtocolException.class,
                () -> CheckValues.requireMac(k, LabelledEncoder.of("CHK").utf8("x"), bad)).reason());
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, assertThrows(ProtocolException.class,
                () -> CheckValues.requireMac(k, LabelledEncoder.of("CHK").utf8("x"), new byte[31])).reason());
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, assertThrows(ProtocolException.class,
                () -> CheckValues.requireMac(SecretBytes.copyOf(new byte[] {1}), LabelledEncoder.of("CHK").utf8("x"), tag)).reason());
    }

    @Test
    void ecdhAgreesAndRejectsInvalidPeers() throws ProtocolException {
        SecretScalar a = SecretScalar.random(curve, random);
        SecretScalar b = SecretScalar.random(curve, random);
        assertEquals(Ecdh.agree(a, b.publicPoint()), Ecdh.agree(b, a.publicPoint()));
        assertEquals(Reason.BAD_POINT, assertThrows(ProtocolException.class,
                () -> Ecdh.agree(a, CurveProfile.p384().generator())).reason());
    }

    // ------------------------------------------------------------ directory entries

    @Test
    void directoryEntryCertifiesOwnKeysAndRejectsForgeryExpiryAndIdentityMismatch() throws ProtocolException {
        Fixtures.MutableClock clock = Fixtures.clockAt(Fixtures.NOW);
        KeyCertifier kgc = new KeyCertifier(SigningKey.generate(curve, random), clock, Duration.ofDays(1));
        PartyKeys keys = PartyKeys.generate(curve, random);
        DirectoryEntry e = kgc.certify("S", "doctor", "D-1", keys.signingPublic(), keys.kemPublic(), Optional.of(curve.generator()));
        DirectoryEntry back = DirectoryEntry.decode(curve, e.encode());
        assertEquals(e, back);
        back.verify(kgc.verificationKey(), "S", "doctor", "D-1", clock.millis());

        KeyCertifier rogue = new KeyCertifier(SigningKey.generate(curve, random), clock, Duration.ofDays(1));
        DirectoryEntry forged = rogue.certify("S", "doctor", "D-1", keys.signingPublic(), keys.kemPublic(), Optional.empty());
        assertEquals(Reason.BAD_SIGNATURE, assertThrows(ProtocolException.class,
                () -> forged.verify(kgc.verificationKey(), "S", "doctor", "D-1", clock.millis())).reason());
        assertEquals(Reason.CERT_IDENTITY_MISMATCH, assertThrows(ProtocolException.class,
                () -> e.verify(kgc.verificationKey(), "S", "doctor", "D-2", clock.millis())).reason());
        assertEquals(Reason.CERT_INVALID, assertThrows(ProtocolException.class,
                () -> e.verify(kgc.verificationKey(), "S", "patient", "D-1", clock.millis())).reason());
        assertEquals(Reason.CERT_INVALID, assertThrows(ProtocolException.class,
                () -> e.verify(kgc.verificationKey(), "S", "doctor", "D-1", clock.millis() + Duration.ofDays(2).toMillis())).reason());
    }
}
