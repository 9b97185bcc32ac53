package org.medledger.protocol.group;

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
 * Whole-group costs, all members simulated in one thread (so the time is the sum over
 * members; a member's own share is roughly time / n): setup = n pairwise runs + one group
 * key run; join = two pairwise runs + a group key run over n + 1; leave = one pairwise run
 * + a group key run over n − 1. Not a unit test.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class GroupKeyBenchmark {

    /** The group size. */
    @State(Scope.Thread)
    public static class Size {
        @Param({"3", "10", "50"})
        public int members;
        final Chebyshev t = new Chebyshev(ChebyshevParameters.modp2048());
        int runs;
    }

    /** A ring with an agreed key, rebuilt before every measured join or leave. */
    @State(Scope.Thread)
    public static class AgreedRing {
        Ring ring;

        @Setup(Level.Invocation)
        public void setUp(Size size) throws ProtocolException {
            ring = Ring.authenticated(size.t, FixedRandom.seeded(size.members + size.runs++), size.members);
            ring.groupKey();
        }
    }

    @Benchmark
    public List<GroupSessionKey> setupRing(Size size) throws ProtocolException {
        Ring fresh = Ring.authenticated(size.t, FixedRandom.seeded(size.members + size.runs++), size.members);
        return fresh.groupKey();
    }

    @Benchmark
    public List<GroupSessionKey> join(AgreedRing agreed) throws ProtocolException {
        agreed.ring.join("newcomer");
        return agreed.ring.groupKey();
    }

    @Benchmark
    public List<GroupSessionKey> leave(AgreedRing agreed) throws ProtocolException {
        agreed.ring.leave("U2");
        return agreed.ring.groupKey();
    }
}
