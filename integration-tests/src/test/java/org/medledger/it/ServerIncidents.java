package org.medledger.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * When a test fails on a server's "unexpected failure; incident id" answer, attaches the server
 * log's record of that incident (the cause the client is rightly not shown) to the failure, so a
 * failed run says why without access to the server's files. Registered for every test class by
 * JUnit's extension autodetection.
 */
public final class ServerIncidents implements TestExecutionExceptionHandler {

    private static final Pattern INCIDENT = Pattern.compile("incident ([0-9a-f]{8}-[0-9a-f-]{27})");
    private static final int LINES = 60;

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            Matcher m = t.getMessage() == null ? null : INCIDENT.matcher(t.getMessage());
            if (m != null && m.find()) {
                String excerpt = excerpt(m.group(1));
                if (excerpt != null) {
                    failure.addSuppressed(new ServerLogExcerpt(excerpt));
                }
                break;
            }
        }
        throw failure;
    }

    /** The incident's line in the test server's log and the lines after it (its stack trace), or null. */
    static String excerpt(String incident) {
        String log = System.getProperty("medledger.it.server.log");
        if (log == null || !Files.isRegularFile(Path.of(log))) {
            return null;
        }
        try {
            List<String> lines = new String(Files.readAllBytes(Path.of(log)), StandardCharsets.UTF_8).lines().toList();
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).contains("incident " + incident)) {
                    return String.join("\n", lines.subList(i, Math.min(lines.size(), i + LINES)));
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The server's side of a failure, shown with the test's. */
    static final class ServerLogExcerpt extends RuntimeException {
        ServerLogExcerpt(String excerpt) {
            super("server log:\n" + excerpt, null, false, false);
        }
    }
}
