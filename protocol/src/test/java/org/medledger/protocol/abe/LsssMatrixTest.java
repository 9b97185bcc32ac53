package org.medledger.protocol.abe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.pairing.FixedRandom;

class LsssMatrixTest {

    private static final BigInteger R =
            new BigInteger("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", 16);
    private final SecureRandom random = FixedRandom.seeded(11);

    @Test
    void reconstructionRecoversTheSecretExactlyForSatisfyingSets() throws ProtocolException {
        String[] policies = {
            "a", "a AND b", "a OR b", "2 of (a, b, c)", "(a OR b) AND (c OR d)",
            "x AND 2 of (a, b OR d, 3 of (e, f, g, h))", "a AND a", "((((a AND b) OR c) AND d) OR e)",
        };
        for (String text : policies) {
            AccessPolicy policy = AccessPolicy.parse(text);
            LsssMatrix m = LsssMatrix.of(policy, R);
            Set<String> universe = new HashSet<>(policy.leaves());
            List<String> names = List.copyOf(universe);
            // every subset of the policy's attributes
            for (int mask = 0; mask < (1 << names.size()); mask++) {
                Set<String> held = new HashSet<>();
                for (int b = 0; b < names.size(); b++) {
                    if ((mask & (1 << b)) != 0) {
                        held.add(names.get(b));
                    }
                }
                BigInteger s = new BigInteger(250, random);
                BigInteger[] v = new BigInteger[m.columnCount()];
                v[0] = s;
                for (int c = 1; c < v.length; c++) {
                    v[c] = new BigInteger(250, random);
                }
                BigInteger[] lambda = m.shares(v);
                Optional<BigInteger[]> omega = m.reconstruction(held);
                assertEquals(policy.isSatisfiedBy(held), omega.isPresent(), text + " with " + held);
                if (omega.isPresent()) {
                    BigInteger sum = BigInteger.ZERO;
                    for (int i = 0; i < lambda.length; i++) {
                        if (omega.get()[i].signum() != 0) {
                            assertTrue(held.contains(m.attribute(i)), "uses only held rows");
                        }
                        sum = sum.add(omega.get()[i].multiply(lambda[i]));
                    }
                    // Σ ω_i λ_i = s
                    assertEquals(s.mod(R), sum.mod(R), text + " with " + held);
                }
            }
        }
    }

    @Test
    void matrixShapeFollowsTheThresholdConstruction() throws ProtocolException {
        LsssMatrix m = LsssMatrix.of(AccessPolicy.parse("2 of (a, b, c)"), R);
        assertEquals(3, m.rowCount());
        assertEquals(2, m.columnCount());
        assertEquals(BigInteger.valueOf(3), m.row(2)[1]);
        LsssMatrix or = LsssMatrix.of(AccessPolicy.parse("a OR b OR c"), R);
        assertEquals(1, or.columnCount());
    }
}
