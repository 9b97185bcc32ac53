package org.medledger.protocol.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.pairing.FixedRandom;

class ChebyshevTest {

    private final ChebyshevParameters params = ChebyshevParameters.modp2048();
    private final Chebyshev t = new Chebyshev(params);
    private final SecureRandom random = FixedRandom.seeded(17);

    /** T_n by the defining three-term recurrence, one step at a time. */
    private BigInteger linear(int n, BigInteger y) {
        BigInteger p = params.p();
        BigInteger prev = BigInteger.ONE;
        BigInteger cur = y;
        if (n == 0) {
            return prev;
        }
        for (int k = 2; k <= n; k++) {
            BigInteger next = y.multiply(cur).shiftLeft(1).subtract(prev).mod(p);
            prev = cur;
            cur = next;
        }
        return cur;
    }

    @Test
    void closedFormLadderAndThreeTermRecurrenceAgree() throws ProtocolException {
        BigInteger x = params.x();
        BigInteger y = t.ofBase(t.randomExponent(random));
        t.requireValid(y);
        for (int n = 0; n <= 70; n++) {
            BigInteger expected = linear(n, x);
            assertEquals(expected, t.ofBase(BigInteger.valueOf(n)), "base closed form n=" + n);
            assertEquals(expected, t.recurrence(BigInteger.valueOf(n), x), "ladder n=" + n);
            assertEquals(linear(n, y), t.closedForm(BigInteger.valueOf(n), y), "closed form on y, n=" + n);
        }
        for (int i = 0; i < 3; i++) {
            BigInteger n = t.randomExponent(random);
            assertEquals(t.closedForm(n, y), t.recurrence(n, y));
        }
    }

    @Test
    void secretExponentsAreShortAndStillAgreeWithTheRecurrence() throws ProtocolException {
        // deviation G16: N = 2 × the group's security strength, not |q|
        for (int i = 0; i < 50; i++) {
            BigInteger n = t.randomExponent(random);
            assertTrue(n.bitLength() <= 224 && n.compareTo(BigInteger.TWO) >= 0, "exponent in [2, 2^224)");
        }
        assertEquals(256, ChebyshevParameters.modp3072().exponentBits());
        // the split blinding keeps long (q-sized) exponents exact too
        BigInteger y = t.ofBase(t.randomExponent(random));
        BigInteger wide = new BigInteger(params.q().bitLength() - 1, random);
        assertEquals(t.recurrence(wide, y), t.closedForm(wide, y));
        assertEquals(t.recurrence(wide, params.x()), t.ofBase(wide));
    }

    @Test
    void aValueCarriesItsRootAndTheReceiverChecksIt() throws ProtocolException {
        BigInteger p = params.p();
        ChebyshevValue v = t.ofBaseValue(t.randomExponent(random));
        assertEquals(v.y().multiply(v.y()).subtract(BigInteger.ONE).mod(p), v.root().multiply(v.root()).mod(p));
        assertEquals(v, t.decodeValue(v.encode(params)));
        BigInteger n = t.randomExponent(random);
        // evaluated with the carried root: the independent recurrence agrees, for either sign of the root
        assertEquals(t.recurrence(n, v.y()), t.closedForm(n, v));
        assertEquals(t.recurrence(n, v.y()), t.closedForm(n, new ChebyshevValue(v.y(), p.subtract(v.root()))));
        assertThrows(ProtocolException.class, () -> t.requireValid(v.y(), v.root().add(BigInteger.ONE)));
        assertThrows(ProtocolException.class, () -> t.requireValid(BigInteger.ONE, BigInteger.ONE));
        assertThrows(ProtocolException.class, () -> t.decodeValue(java.util.Arrays.copyOf(v.encode(params), 2 * params.byteLength() - 1)));
    }

    @Test
    void semigroupPropertyHolds() {
        BigInteger r = t.randomExponent(random);
        BigInteger s = t.randomExponent(random);
        BigInteger ts = t.ofBase(s);
        // T_r(T_s(x)) = T_{rs}(x) = T_s(T_r(x))
        assertEquals(t.ofBase(r.multiply(s)), t.closedForm(r, ts));
        assertEquals(t.closedForm(s, t.ofBase(r)), t.closedForm(r, ts));
        assertEquals(t.recurrence(r, ts), t.closedForm(r, ts));
    }

    @Test
    void parametersAreTheSafePrimeGroups() throws ProtocolException {
        assertEquals(2048, params.p().bitLength());
        assertTrue(params.q().isProbablePrime(40));
        assertEquals(BigInteger.ONE, params.g().modPow(params.q(), params.p()));
        assertEquals(3072, ChebyshevParameters.named("rfc3526-3072").p().bitLength());
        assertThrows(ProtocolException.class, () -> ChebyshevParameters.named("tiny"));
        assertThrows(ProtocolException.class, () -> ChebyshevParameters.validated("bad", BigInteger.ONE.shiftLeft(2048).add(BigInteger.ONE)));
    }

    @Test
    void validationRefusesValuesThatAreNotChebyshevPublicKeys() throws ProtocolException {
        BigInteger p = params.p();
        for (BigInteger bad : new BigInteger[] {BigInteger.ZERO, BigInteger.ONE, p.subtract(BigInteger.ONE), p, p.add(BigInteger.TWO)}) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> t.requireValid(bad));
            assertEquals(Reason.BAD_PARAMETER, e.reason());
        }
        // find a value whose u would lie outside the order-q subgroup (y² − 1 non-residue or u of order 2q)
        int refused = 0;
        for (int v = 2; v < 40; v++) {
            try {
                t.requireValid(BigInteger.valueOf(v));
            } catch (ProtocolException e) {
                refused++;
            }
        }
        assertTrue(refused > 0, "some small values are not T_k(x)");
        t.requireValid(params.x());
        assertThrows(ProtocolException.class, () -> t.decode(new byte[10]));
    }

    @Test
    void jacobiSymbolAgreesWithEulersCriterion() {
        BigInteger p = params.p();
        BigInteger half = p.subtract(BigInteger.ONE).shiftRight(1);
        for (int i = 0; i < 12; i++) {
            BigInteger a = new BigInteger(2100, random).mod(p);
            BigInteger euler = a.modPow(half, p);
            int expected = a.signum() == 0 ? 0 : euler.equals(BigInteger.ONE) ? 1 : -1;
            assertEquals(expected, Chebyshev.jacobi(a, p));
        }
        assertEquals(0, Chebyshev.jacobi(BigInteger.valueOf(15), BigInteger.valueOf(45)));
        assertEquals(-1, Chebyshev.jacobi(BigInteger.TWO, BigInteger.valueOf(11)));
        assertEquals(1, Chebyshev.jacobi(BigInteger.valueOf(5), BigInteger.valueOf(11)));
    }

    /** The cheap validation accepts exactly the values whose root u lies in Fp and has order q. */
    @Test
    void validationMatchesTheDefinitionOnRandomValues() throws ProtocolException {
        BigInteger p = params.p();
        BigInteger q = params.q();
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 16; i++) {
            BigInteger y = new BigInteger(2100, random).mod(p.subtract(BigInteger.valueOf(3))).add(BigInteger.TWO);
            BigInteger d = y.multiply(y).subtract(BigInteger.ONE).mod(p);
            boolean inFp = d.modPow(q, p).equals(BigInteger.ONE);
            BigInteger u = y.add(d.modPow(p.add(BigInteger.ONE).shiftRight(2), p)).mod(p);
            boolean valid = inFp && u.modPow(q, p).equals(BigInteger.ONE);
            boolean ok;
            try {
                t.requireValid(y);
                ok = true;
                accepted++;
            } catch (ProtocolException e) {
                ok = false;
                refused++;
            }
            assertEquals(valid, ok, "y = " + y.toString(16));
        }
        assertTrue(refused > 0);
        // T_k(x) is always accepted
        for (int i = 0; i < 4; i++) {
            t.requireValid(t.ofBase(t.randomExponent(random)));
        }
    }
}
