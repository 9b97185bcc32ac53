package org.medledger.protocol.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.pairing.FixedRandom;

/** The fixed-width arithmetic against {@code BigInteger}'s, on random and edge operands of both groups. */
class MontgomeryFieldTest {

    @ParameterizedTest
    @ValueSource(strings = {"rfc3526-2048", "rfc3526-3072"})
    void agreesWithBigIntegerArithmetic(String group) throws ProtocolException {
        BigInteger p = ChebyshevParameters.named(group).p();
        MontgomeryField f = new MontgomeryField(p);
        SecureRandom random = FixedRandom.seeded(31);
        List<BigInteger> values = new ArrayList<>(List.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO,
                p.subtract(BigInteger.ONE), p.subtract(BigInteger.TWO), p.shiftRight(1), p.shiftRight(1).add(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(p.bitLength() - 1)));
        for (int i = 0; i < 200; i++) {
            values.add(new BigInteger(p.bitLength() + 8, random).mod(p));
            values.add(new BigInteger(1 + random.nextInt(p.bitLength() - 1), random));
        }
        BigInteger half = BigInteger.TWO.modInverse(p);
        for (int i = 0; i < values.size(); i++) {
            BigInteger a = values.get(i);
            BigInteger b = values.get((i * 7 + 3) % values.size());
            assertEquals(a.multiply(b).mod(p), f.multiply(a, b), "a·b");
            assertEquals(a.add(b).mod(p), f.add(a, b), "a + b");
            assertEquals(a.subtract(b).mod(p), f.subtract(a, b), "a − b");
            assertEquals(a.multiply(half).mod(p), f.half(a), "a/2");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rfc3526-2048"})
    void refusesOperandsOutsideTheField(String group) throws ProtocolException {
        BigInteger p = ChebyshevParameters.named(group).p();
        MontgomeryField f = new MontgomeryField(p);
        assertThrows(IllegalArgumentException.class, () -> f.multiply(p, BigInteger.ONE));
        assertThrows(IllegalArgumentException.class, () -> f.add(BigInteger.ONE.negate(), BigInteger.ONE));
    }
}
