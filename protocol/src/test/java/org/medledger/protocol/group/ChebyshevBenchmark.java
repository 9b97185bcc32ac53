package org.medledger.protocol.group;

import java.math.BigInteger;
import java.util.concurrent.TimeUnit;

import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.pairing.FixedRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Chebyshev evaluation: closed form (modPow) against the recurrence (doubling ladder). Not a unit test. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ChebyshevBenchmark {

    @Param({"rfc3526-2048", "rfc3526-3072"})
    public String group;

    private Chebyshev t;
    private BigInteger n;
    private BigInteger y;
    private ChebyshevValue v;

    @Setup
    public void setUp() throws ProtocolException {
        t = new Chebyshev(ChebyshevParameters.named(group));
        var random = FixedRandom.seeded(4);
        n = t.randomExponent(random);
        v = t.ofBaseValue(t.randomExponent(random));
        y = v.y();
    }

    @Benchmark
    public BigInteger closedFormOnBase() {
        return t.ofBase(n);
    }

    /**
     * The closed form on the base as it was before the exponent blinding and the constant-time
     * inverse ({@code modPow} by n, {@code modInverse}, {@code BigInteger} multiply): the reference
     * for what the constant-time measures cost.
     */
    @Benchmark
    public BigInteger formerClosedFormOnBase() {
        BigInteger p = t.parameters().p();
        BigInteger gn = t.parameters().g().modPow(n, p);
        return gn.add(gn.modInverse(p)).multiply(BigInteger.TWO.modInverse(p)).mod(p);
    }

    /** T_n(y) of a bare value: the square root of y² − 1 (a q-sized modPow) and the split u^n. */
    @Benchmark
    public BigInteger closedForm() {
        return t.closedForm(n, y);
    }

    /** T_n(y) of a value carried with its root (deviation G16): the split u^n only. */
    @Benchmark
    public BigInteger closedFormWithRoot() {
        return t.closedForm(n, v);
    }

    /**
     * A received value with its root, first seen: range, root² = y² − 1, one Jacobi symbol (a fresh
     * map each call, since a map remembers the values it validated).
     */
    @Benchmark
    public ChebyshevValue validateReceivedValueWithRoot() throws ProtocolException {
        return new Chebyshev(t.parameters(), FixedRandom.seeded(1)).requireValid(v.y(), v.root());
    }

    @Benchmark
    public BigInteger recurrenceLadder() {
        return t.recurrence(n, y);
    }

    @Benchmark
    public BigInteger validateReceivedValue() throws ProtocolException {
        return t.requireValid(y);
    }
}
