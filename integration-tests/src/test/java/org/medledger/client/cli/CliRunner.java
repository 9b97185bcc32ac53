package org.medledger.client.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the {@code medledger} command line in the integration tests with the environment it would
 * read (passwords), as a user's shell would set it.
 */
public final class CliRunner {

    /** Exit code and what the command printed. */
    public record Result(int code, String out, String err) {
    }

    private CliRunner() {
    }

    public static Result run(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new MedLedgerCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                environment::get, Clock.systemUTC(), new CountDownLatch(1)).run(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
