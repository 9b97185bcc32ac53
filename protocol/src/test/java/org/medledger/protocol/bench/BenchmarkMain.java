package org.medledger.protocol.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the protocol benchmarks with short settings suited to a shared build machine:
 * 1 fork, 2 × 1 s warm-up, 3 × 1 s measurement, sample-time mode (medians).
 * Arguments: an optional benchmark-name regex. Results: target/jmh-result.json.
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException {
        // Several builds share this machine; do not let another tool's stale lock block us.
        System.setProperty("jmh.ignoreLock", "true");
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include(args.length > 0 && !args[0].isBlank() ? args[0] : "org.medledger.protocol.bench.*")
                .forks(1)
                .warmupIterations(2)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(3)
                .measurementTime(TimeValue.seconds(1))
                .timeUnit(TimeUnit.MICROSECONDS)
                .shouldFailOnError(true)
                .resultFormat(ResultFormatType.JSON)
                .result("target/jmh-result.json");
        new Runner(b.build()).run();
    }
}
