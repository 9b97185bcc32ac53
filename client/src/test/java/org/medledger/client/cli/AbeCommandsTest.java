package org.medledger.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ABE-CHAIN commands' argument checks, through the CLI's entry point. */
class AbeCommandsTest {

    @TempDir
    Path dir;

    private String last;

    private int run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new MedLedgerCli(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err),
                Map.of("MEDLEDGER_DEVICE_PASSWORD", "device-pw", "MEDLEDGER_PASSWORD", "pw")::get, java.time.Clock.systemUTC(),
                new java.util.concurrent.CountDownLatch(1)).run(args);
        last = err.toString(StandardCharsets.UTF_8);
        return code;
    }

    @Test
    void missingOrUnknownArgumentsPrintTheUsage() {
        assertEquals(1, run("abe"));
        assertTrue(last.contains("medledger abe claim"), last);
        assertEquals(1, run("abe", "decrypt-everything", "--user", "i"));
        assertEquals(1, run("abe", "claim", "--descriptor", "x"));
        assertTrue(last.contains("--user is required"), last);
        assertEquals(1, run("abe", "records", "--user", "i", "--attributes", "claims"));
        assertTrue(last.contains("unknown option"), last);
        assertEquals(1, run("abe", "authorize", "--user", "p", "--store", dir.resolve("p.p12").toString(), "--hospital", "h"));
        assertTrue(last.contains("--record-id is required"), last);
    }

    @Test
    void aDeviceWithoutItsKeyRefusesBeforeAskingTheServer() {
        // No server listens on this port: the command must stop at the device's missing key.
        assertEquals(4, run("abe", "claim", "--user", "i", "--descriptor", "0".repeat(64), "--store",
                dir.resolve("i.p12").toString(), "--api", "http://127.0.0.1:1/api", "--keycloak", "http://127.0.0.1:1"));
        assertTrue(last.contains("I/O error"), last);
    }

    @Test
    void theGeneralUsageListsTheAbeCommands() {
        assertEquals(1, run());
        assertTrue(last.contains("ABE-CHAIN"), last);
    }
}
