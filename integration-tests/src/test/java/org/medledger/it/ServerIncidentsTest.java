package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed test that names a server incident carries the server log's record of it; others are left as they are. */
class ServerIncidentsTest {

    static final String INCIDENT = "543d8146-420e-46b3-86ef-9067edd398cf";

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty("medledger.it.server.log");
    }

    @Test
    void theIncidentsStackTraceIsAttached() throws Exception {
        Path log = dir.resolve("server.log");
        Files.writeString(log, "12:00:00,000 INFO  other line\n"
                + "12:00:01,000 SEVERE [org.medledger.api.problem.ProblemMappers] unexpected failure, incident " + INCIDENT + "\n"
                + "java.lang.IllegalStateException: the cause\n\tat org.medledger.Some.place(Some.java:1)\n");
        System.setProperty("medledger.it.server.log", log.toString());
        RuntimeException failure = new RuntimeException("ApiProblem 500 INTERNAL: unexpected failure; incident " + INCIDENT);
        Throwable thrown = assertThrows(Throwable.class, () -> new ServerIncidents().handleTestExecutionException(null, failure));
        assertSame(failure, thrown);
        assertEquals(1, failure.getSuppressed().length);
        String attached = failure.getSuppressed()[0].getMessage();
        assertTrue(attached.contains("IllegalStateException: the cause"), attached);
        assertTrue(!attached.contains("other line"), attached);
    }

    @Test
    void aFailureWithoutAnIncidentIsUnchanged() {
        AssertionError failure = new AssertionError("expected 200 but was 403");
        Throwable thrown = assertThrows(Throwable.class, () -> new ServerIncidents().handleTestExecutionException(null, failure));
        assertSame(failure, thrown);
        assertEquals(0, failure.getSuppressed().length);
    }
}
