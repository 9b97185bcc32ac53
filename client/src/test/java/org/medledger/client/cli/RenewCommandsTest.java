package org.medledger.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code medledger renew} for INTER-HOSPITAL parties and hospital clouds: which renewals it takes and its argument checks. */
class RenewCommandsTest {

    @TempDir
    Path dir;

    private String last;

    private int run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new MedLedgerCli(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err),
                Map.of("MEDLEDGER_DEVICE_PASSWORD", "device-pw")::get, java.time.Clock.systemUTC(), new java.util.concurrent.CountDownLatch(1)).run(args);
        last = err.toString(StandardCharsets.UTF_8);
        return code;
    }

    @Test
    void theRenewalsOfPartiesWithoutAnEmrAuthDeviceGoHere() {
        assertTrue(RenewCommands.handles(new String[] {"renew", "--role", "ih-patient", "--user", "p"}));
        assertTrue(RenewCommands.handles(new String[] {"renew", "--user", "a", "--role", "ih-hospital", "--hospital", "h"}));
        assertTrue(RenewCommands.handles(new String[] {"renew", "--role", "hospital-cloud", "--hospital", "h", "--user", "a"}));
        assertFalse(RenewCommands.handles(new String[] {"renew", "--role", "patient", "--user", "p"}), "EMR-AUTH devices renew there");
        assertFalse(RenewCommands.handles(new String[] {"register", "--role", "ih-patient"}));
        assertFalse(RenewCommands.handles(new String[] {"renew", "--role"}));
    }

    @Test
    void missingArgumentsPrintTheUsageAndCallNothing() {
        assertEquals(1, run("renew", "--role", "ih-hospital", "--user", "admin"));
        assertTrue(last.contains("--hospital is required"), last);
        assertEquals(1, run("renew", "--role", "hospital-cloud", "--user", "admin"));
        assertTrue(last.contains("--hospital is required"), last);
        assertEquals(1, run("renew", "--role", "ih-patient", "--user", "p", "--colour", "red"));
        assertTrue(last.contains("unknown option"), last);
        assertEquals(1, run("renew", "--role", "ih-patient", "--user", "p", "--store", dir.resolve("p.p12").toString()));
        assertTrue(last.contains("holds no INTER-HOSPITAL registration"), last);
        assertTrue(last.contains("--role ih-hospital"), "the usage names the INTER-HOSPITAL roles: " + last);
    }
}
