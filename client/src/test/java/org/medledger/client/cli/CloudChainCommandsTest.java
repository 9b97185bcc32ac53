package org.medledger.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The CLOUD-CHAIN commands' argument checks, and their place in {@code medledger}. */
class CloudChainCommandsTest {

    private String last;

    private int run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new MedLedgerCli(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err),
                Map.of("MEDLEDGER_DEVICE_PASSWORD", "device-pw")::get, java.time.Clock.systemUTC(),
                new java.util.concurrent.CountDownLatch(1)).run(args);
        last = err.toString(StandardCharsets.UTF_8);
        return code;
    }

    @Test
    void missingOrUnknownArgumentsPrintTheUsage() {
        assertEquals(1, run("cloud-chain"));
        assertTrue(last.contains("medledger cloud-chain register-card"), last);
        assertEquals(1, run("cloud-chain", "steal-card", "--user", "p"));
        assertEquals(1, run("cloud-chain", "contract", "--user", "p"));
        assertTrue(last.contains("--center is required"), last);
        assertEquals(1, run("cloud-chain", "store-ehr", "--user", "mc", "--center", "ab", "--patient", "cd"));
        assertTrue(last.contains("--record is required"), last);
        assertEquals(1, run("cloud-chain", "audit", "--user", "p", "--colour", "red"));
        assertTrue(last.contains("unknown option"), last);
        assertEquals(1, run("cloud-chain", "register-card"));
        assertTrue(last.contains("--user is required"), last);
    }

    @Test
    void theTopLevelUsageNamesTheCloudChainCommands() {
        assertEquals(1, run("no-such-command"));
        assertTrue(last.contains("CLOUD-CHAIN (seed 001)"), last);
    }
}
