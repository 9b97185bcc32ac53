package org.medledger.protocol.pairing;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.medledger.protocol.common.ProtocolException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Costs of the pairing-library operations (docs/benchmarks.md). Not a unit test. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PairingBenchmark {

    @org.openjdk.jmh.annotations.Param({"native", "pure-java"})
    public String implementation;

    private PairingGroup group;
    private BigInteger k;
    private G1Element p;
    private G2Element q;
    private GtElement e;
    private byte[] p1Bytes;
    private byte[] q2Bytes;
    private byte[] gtBytes;
    private List<G1Element> ps;
    private List<G2Element> qs;

    @Setup
    public void setUp() throws ProtocolException {
        group = PairingGroups.named(implementation);
        k = group.randomScalar(FixedRandom.seeded(1));
        p = group.g1().multiply(k);
        q = group.g2().multiply(k);
        e = group.pair(p, q);
        p1Bytes = p.toBytes();
        q2Bytes = q.toBytes();
        gtBytes = e.toBytes();
        ps = List.of(p, p, p, p);
        qs = List.of(q, q, q, q);
    }

    @Benchmark
    public GtElement pairing() {
        return group.pair(p, q);
    }

    @Benchmark
    public GtElement multiPairingOfFour() {
        return group.multiPair(ps, qs);
    }

    @Benchmark
    public G1Element g1Multiply() {
        return p.multiply(k);
    }

    @Benchmark
    public G2Element g2Multiply() {
        return q.multiply(k);
    }

    @Benchmark
    public GtElement gtPow() {
        return e.pow(k);
    }

    @Benchmark
    public G1Element hashToG1() {
        return group.hashToG1("insurer".getBytes(StandardCharsets.UTF_8), "MEDLEDGER-BENCH-with-BLS12381G1_XMD:SHA-256_SSWU_RO_");
    }

    @Benchmark
    public G1Element decodeG1WithSubgroupCheck() throws ProtocolException {
        return group.decodeG1(p1Bytes);
    }

    @Benchmark
    public G2Element decodeG2WithSubgroupCheck() throws ProtocolException {
        return group.decodeG2(q2Bytes);
    }

    @Benchmark
    public GtElement decodeGtWithSubgroupCheck() throws ProtocolException {
        return group.decodeGt(gtBytes);
    }
}
