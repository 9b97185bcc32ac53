package org.medledger.protocol.pairing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.milagro.amcl.BLS381.FP12;
import org.junit.jupiter.api.Test;

/**
 * The pure-Java GT membership check against its definition (v ≠ 0 and v^r = 1, with r prime,
 * computed by generic square-and-multiply), on GT elements and on every kind of outsider.
 */
class PureJavaGtMembershipTest {

    private static final BigInteger R = Bls12381.ORDER;

    /** Why the old check ({@code v.pow(r) == 1} alone) proved nothing: Milagro's pow is not a power off G_Φ12. */
    @Test
    void milagroPowIsNotAPowerOutsideTheCyclotomicSubgroup() {
        FP12 z = GtOutsiders.random(FixedRandom.seeded(3));
        FP12 fast = new FP12(z).pow(Bls12381PureJava.big(R));
        fast.reduce();
        assertFalse(fast.equals(GtOutsiders.power(z, R)), "unitary squaring on a non-unitary element");
        FP12 cyclotomic = GtOutsiders.cyclotomicWrongOrder(z);
        FP12 onCyclotomic = new FP12(cyclotomic).pow(Bls12381PureJava.big(R));
        onCyclotomic.reduce();
        assertTrue(onCyclotomic.equals(GtOutsiders.power(cyclotomic, R)), "inside G_Φ12 it is a power");
    }

    @Test
    void membershipMatchesTheDefinition() {
        FP12 z = GtOutsiders.random(FixedRandom.seeded(4));
        FP12 g = GtOutsiders.gtGenerator();
        FP12 shifted = GtOutsiders.gtGenerator();
        shifted.mul(GtOutsiders.cyclotomicWrongOrder(z));
        Map<String, FP12> cases = new LinkedHashMap<>();
        cases.put("e(g1, g2)", g);
        cases.put("e(g1, g2)^5", GtOutsiders.power(g, BigInteger.valueOf(5)));
        cases.put("one", new FP12(1));
        cases.put("random", z);
        cases.put("two", GtOutsiders.two());
        cases.put("unitary", GtOutsiders.unitary(z));
        cases.put("cyclotomic, wrong order", GtOutsiders.cyclotomicWrongOrder(z));
        cases.put("GT times wrong order", shifted);
        for (Map.Entry<String, FP12> c : cases.entrySet()) {
            boolean definition = GtOutsiders.power(c.getValue(), R).isunity();
            assertEquals(definition, Bls12381PureJava.inGt(new FP12(c.getValue())), c.getKey());
        }
        assertTrue(Bls12381PureJava.inGt(g));
        assertFalse(Bls12381PureJava.inGt(new FP12(0)));
    }
}
