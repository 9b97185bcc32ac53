package org.medledger.protocol.pki;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

class RegistrationProofTest {

    static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

    record Doctor(KeyPair keys, X509Certificate cert, byte[] der) {
    }

    static Doctor doctor(String id) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        KeyPair keys = g.generateKeyPair();
        X500Name name = new X500Name("CN=" + id + ",OU=doctor");
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.TEN, Date.from(NOW.minus(Duration.ofDays(1))), Date.from(NOW.plus(Duration.ofDays(1))), name,
                keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        return new Doctor(keys, cert, cert.getEncoded());
    }

    static byte[] sign(Doctor d, String id, Instant at) throws ProtocolException {
        return RegistrationProof.sign((ECPrivateKey) d.keys().getPrivate(), id, d.der(), at);
    }

    @Test
    void theHolderOfTheKeyProvesPossession() throws Exception {
        Doctor d = doctor("dr.alice");
        byte[] sig = sign(d, "dr.alice", NOW);
        assertDoesNotThrow(() -> RegistrationProof.verify(d.cert(), d.der(), "dr.alice", NOW, sig, NOW));
        // within the skew either way
        assertDoesNotThrow(() -> RegistrationProof.verify(d.cert(), d.der(), "dr.alice", NOW, sig,
                NOW.plus(RegistrationProof.MAX_SKEW)));
    }

    @Test
    void aSignatureByAnotherKeyIsRefused() throws Exception {
        Doctor d = doctor("dr.alice");
        Doctor operator = doctor("kgc-operator");
        // the operator signs with its own key for the doctor's certificate
        byte[] sig = RegistrationProof.sign((ECPrivateKey) operator.keys().getPrivate(), "dr.alice", d.der(), NOW);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> RegistrationProof.verify(d.cert(), d.der(), "dr.alice", NOW, sig, NOW));
        assertEquals(Reason.BAD_SIGNATURE, e.reason());
    }

    @Test
    void everySignedFieldIsBound() throws Exception {
        Doctor d = doctor("dr.alice");
        Doctor other = doctor("dr.alice");
        byte[] sig = sign(d, "dr.alice", NOW);
        assertEquals(Reason.BAD_SIGNATURE, assertThrows(ProtocolException.class,
                () -> RegistrationProof.verify(d.cert(), d.der(), "dr.bob", NOW, sig, NOW)).reason());
        assertEquals(Reason.BAD_SIGNATURE, assertThrows(ProtocolException.class,
                () -> RegistrationProof.verify(d.cert(), d.der(), "dr.alice", NOW.plusSeconds(1), sig, NOW)).reason());
        assertEquals(Reason.BAD_SIGNATURE, assertThrows(ProtocolException.class,
                () -> RegistrationProof.verify(other.cert(), other.der(), "dr.alice", NOW, sig, NOW)).reason());
        byte[] flipped = sig.clone();
        flipped[5] ^= 1;
        assertEquals(Reason.BAD_SIGNATURE, assertThrows(ProtocolException.class,
                () -> RegistrationProof.verify(d.cert(), d.der(), "dr.alice", NOW, flipped, NOW)).reason());
        assertEquals(Reason.BAD_SIGNATURE, assertThrows(ProtocolException.class,
                () -> RegistrationProof.verify(d.cert(), d.der(), "dr.alice", NOW, new byte[3], NOW)).reason());
    }

    @Test
    void aStaleOrFutureProofIsRefused() throws Exception {
        Doctor d = doctor("dr.alice");
        Instant old = NOW.minus(RegistrationProof.MAX_SKEW).minusSeconds(1);
        byte[] sig = sign(d, "dr.alice", old);
        assertEquals(Reason.STALE_TIMESTAMP, assertThrows(ProtocolException.class,
                () -> RegistrationProof.verify(d.cert(), d.der(), "dr.alice", old, sig, NOW)).reason());
        Instant future = NOW.plus(RegistrationProof.MAX_SKEW).plusSeconds(1);
        byte[] sig2 = sign(d, "dr.alice", future);
        assertEquals(Reason.STALE_TIMESTAMP, assertThrows(ProtocolException.class,
                () -> RegistrationProof.verify(d.cert(), d.der(), "dr.alice", future, sig2, NOW)).reason());
    }
}
