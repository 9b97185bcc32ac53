package org.medledger.ledger.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import org.bouncycastle.util.BigIntegers;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretScalar;
import org.medledger.protocol.common.SigningKey;

/** The ledger signs and verifies with the protocol's ECDSA: same signatures, low-S only. */
class P256SignatureSchemeTest {

    private static final BigInteger N = CurveProfile.p256().order();

    @Test
    void ledgerSignaturesAreTheProfilesAndLowS() throws ProtocolException {
        // RFC 6979 A.2.5 key; "sample" signs to the published r and n − s (the published s is high)
        BigInteger d = new BigInteger("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721", 16);
        SigningKey profileKey = SigningKey.of(SecretScalar.of(CurveProfile.p256(), d));
        Signer signer = P256SignatureScheme.fromSeed("x".getBytes(StandardCharsets.UTF_8));
        byte[] m = "sample".getBytes(StandardCharsets.US_ASCII);
        byte[] sig = signer.sign(m);
        assertTrue(P256SignatureScheme.INSTANCE.verify(signer.publicKey(), m, sig));
        assertTrue(new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64)).compareTo(N.shiftRight(1)) <= 0);
        byte[] published = Ecdsa.signRaw(profileKey, m);
        assertArrayEquals(Hex.decode("efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"),
                java.util.Arrays.copyOfRange(published, 0, 32));
        assertTrue(P256SignatureScheme.INSTANCE.verify(profileKey.verificationKey().encoded(), m, published));
    }

    @Test
    void highSTwinIsRefused() {
        Signer signer = P256SignatureScheme.fromSeed("member".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 32; i++) {
            byte[] m = ("tx-" + i).getBytes(StandardCharsets.UTF_8);
            byte[] sig = signer.sign(m);
            byte[] twin = sig.clone();
            BigIntegers.asUnsignedByteArray(N.subtract(new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64))), twin, 32, 32);
            assertTrue(P256SignatureScheme.INSTANCE.verify(signer.publicKey(), m, sig));
            assertFalse(P256SignatureScheme.INSTANCE.verify(signer.publicKey(), m, twin));
        }
    }

    @Test
    void badKeysAndSignaturesAreRefusedWithoutThrowing() {
        Signer signer = P256SignatureScheme.fromSeed("member".getBytes(StandardCharsets.UTF_8));
        byte[] m = {1};
        byte[] uncompressed = new byte[65];
        uncompressed[0] = 4;
        assertFalse(P256SignatureScheme.INSTANCE.isValidPublicKey(uncompressed));
        assertFalse(P256SignatureScheme.INSTANCE.isValidPublicKey(null));
        assertFalse(P256SignatureScheme.INSTANCE.verify(signer.publicKey(), m, new byte[64]));
        assertFalse(P256SignatureScheme.INSTANCE.verify(signer.publicKey(), m, new byte[63]));
        assertFalse(P256SignatureScheme.INSTANCE.verify(new byte[33], m, signer.sign(m)));
    }
}
