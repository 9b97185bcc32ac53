package org.medledger.protocol.group;

import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.pairing.FixedRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The compute of a whole group with warm code (average time; all members simulated in one
 * thread, so a member's share is the score / n): {@code setup} = every member (its long-term key
 * generated at registration, outside the timed region) validates its two neighbours' published keys, takes both sides of its ring edges' pairwise
 * runs, and the group key run — also what every member does at each join or leave in the served
 * system (deviation G17); {@code join}/{@code leave} = the paper's incremental change (two or
 * one pairwise runs and the group key run over n ± 1). Not a unit test; also run by
 * {@code CpuTimeRun} (thread CPU time).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class GroupMemberBenchmark {

    /** The group size (a string, as {@code CpuTimeRun} sets parameters). */
    @Param({"10"})
    public String members;

    final Chebyshev t = new Chebyshev(ChebyshevParameters.modp2048());
    private int runs;
    private Ring agreed;
    private List<ChebyshevKeyPair> registered;

    private int n() {
        return Integer.parseInt(members);
    }

    private SecureRandom random() {
        return FixedRandom.seeded(1000L * n() + runs++);
    }

    /** A ring with an agreed key, rebuilt before every measured join or leave (outside the timed region). */
    @Setup(Level.Invocation)
    public void agreedRing() throws ProtocolException {
        agreed = Ring.authenticated(t, random(), n());
        agreed.groupKey();
        registered = Ring.keys(t, random(), n());
    }

    @Benchmark
    public List<GroupSessionKey> setup() throws ProtocolException {
        return Ring.authenticated(t, random(), registered).groupKey();
    }

    @Benchmark
    public List<GroupSessionKey> join() throws ProtocolException {
        agreed.join("newcomer");
        return agreed.groupKey();
    }

    @Benchmark
    public List<GroupSessionKey> leave() throws ProtocolException {
        agreed.leave("U2");
        return agreed.groupKey();
    }
}
