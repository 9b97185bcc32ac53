package org.medledger.protocol.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.testkit.Fixtures;

class MasterKeysTest {

    private static KeyPair jcaKeyPair(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve), Fixtures.seededRandom(5));
        return g.generateKeyPair();
    }

    @Test
    void masterKeysComeFromJcaKeys() throws Exception {
        KeyPair kp = jcaKeyPair("secp256r1");
        MasterSecret s = MasterKeys.fromJca(CurveProfile.p256(), (ECPrivateKey) kp.getPrivate(), (ECPublicKey) kp.getPublic());
        MasterPublicKey pk = MasterKeys.publicKeyFromJca(CurveProfile.p256(), (ECPublicKey) kp.getPublic());
        assertEquals(pk, s.publicKey());
        assertEquals(pk, MasterPublicKey.decode(CurveProfile.p256(), pk.encoded()));
        assertArrayEquals(pk.encoded(), s.publicKey().encoded());
    }

    @Test
    void mismatchedPrivateAndPublicKeysAreRefused() throws Exception {
        KeyPair a = jcaKeyPair("secp256r1");
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), Fixtures.seededRandom(6));
        KeyPair b = g.generateKeyPair();
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> MasterKeys.fromJca(CurveProfile.p256(), (ECPrivateKey) a.getPrivate(), (ECPublicKey) b.getPublic()));
        assertEquals(Reason.BAD_PARAMETER, e.reason());
    }

    @Test
    void keysOfAnotherCurveAreRefused() throws Exception {
        KeyPair kp = jcaKeyPair("secp384r1");
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> MasterKeys.fromJca(CurveProfile.p256(), (ECPrivateKey) kp.getPrivate(), (ECPublicKey) kp.getPublic()));
        assertEquals(Reason.BAD_PARAMETER, e.reason());
    }
}
