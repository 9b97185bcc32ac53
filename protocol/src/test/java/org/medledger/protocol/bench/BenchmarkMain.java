package org.medledger.protocol.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the protocol benchmarks with short settings suited to a shared build machine:
 * 1 fork, 2 × 1 s warm-up, 3 × 1 s measurement, sample-time mode (medians).
 * Arguments: an optional benchmark-name regex, then optionally any JMH command-line options,
 * which override these settings (e.g. {@code "EmrAuth|Primitives -wi 3 -w 2s -i 3 -r 3s"} for
 * 3 × 2 s warm-up and 3 × 3 s measurement). Results: target/jmh-result.json.
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        // Several builds share this machine; do not let another tool's stale lock block us.
        System.setProperty("jmh.ignoreLock", "true");
        // Options after the regex (JMH command-line syntax) take precedence over the defaults.
        CommandLineOptions cli = new CommandLineOptions(args.length > 1 ? Arrays.copyOfRange(args, 1, args.length) : new String[0]);
        ChainedOptionsBuilder b = new OptionsBuilder()
                .parent(cli)
                .include(args.length > 0 && !args[0].isBlank() ? args[0] : "org.medledger.protocol.bench.*")
                .forks(cli.getForkCount().orElse(1))
                .warmupIterations(cli.getWarmupIterations().orElse(2))
                .warmupTime(cli.getWarmupTime().orElse(TimeValue.seconds(1)))
                .measurementIterations(cli.getMeasurementIterations().orElse(3))
                .measurementTime(cli.getMeasurementTime().orElse(TimeValue.seconds(1)))
                .timeUnit(TimeUnit.MICROSECONDS)
                .shouldFailOnError(true)
                .resultFormat(ResultFormatType.JSON)
                .result(cli.getResult().orElse("target/jmh-result.json"));
        new Runner(b.build()).run();
    }
}
