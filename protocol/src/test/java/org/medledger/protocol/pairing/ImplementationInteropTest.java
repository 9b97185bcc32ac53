package org.medledger.protocol.pairing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.ProtocolException;

/** blst and the pure-Java implementation are interchangeable: same encodings, same values. */
class ImplementationInteropTest {

    private final PairingGroup blst = Bls12381.get();
    private final PairingGroup java = Bls12381PureJava.get();
    private final SecureRandom random = FixedRandom.seeded(12);

    @Test
    void generatorsScalarMultiplesAndHashesEncodeIdentically() {
        assertArrayEquals(blst.g1().toBytes(), java.g1().toBytes());
        assertArrayEquals(blst.g2().toBytes(), java.g2().toBytes());
        for (int i = 0; i < 3; i++) {
            BigInteger k = blst.randomScalar(random);
            assertArrayEquals(blst.g1().multiply(k).toBytes(), java.g1().multiply(k).toBytes());
            assertArrayEquals(blst.g2().multiply(k).toBytes(), java.g2().multiply(k).toBytes());
            assertArrayEquals(blst.g1().multiply(k).negate().toBytes(), java.g1().multiply(k).negate().toBytes());
        }
        byte[] m = "claims".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(blst.hashToG1(m, "X").toBytes(), java.hashToG1(m, "X").toBytes());
    }

    @Test
    void pairingValuesAndGtArithmeticAgree() throws ProtocolException {
        BigInteger a = blst.randomScalar(random);
        BigInteger b = blst.randomScalar(random);
        byte[] p = blst.g1().multiply(a).toBytes();
        byte[] q = blst.g2().multiply(b).toBytes();
        GtElement viaBlst = blst.pair(blst.decodeG1(p), blst.decodeG2(q));
        GtElement viaJava = java.pair(java.decodeG1(p), java.decodeG2(q));
        assertArrayEquals(viaBlst.toBytes(), viaJava.toBytes());
        assertArrayEquals(viaBlst.pow(b).toBytes(), java.decodeGt(viaBlst.toBytes()).pow(b).toBytes());
        assertArrayEquals(viaBlst.multiply(viaBlst).toBytes(), blst.decodeGt(viaJava.multiply(viaJava).toBytes()).toBytes());
    }
}
