package org.medledger.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.client.emrauth.DeviceParty;
import org.medledger.client.emrauth.DeviceStore;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.PartyKeys;

/** The EMR-AUTH commands' argument checks and the device store they keep secrets in. */
class EmrAuthCommandsTest {

    @TempDir
    Path dir;

    private int run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new EmrAuthCommands(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err),
                Map.of("MEDLEDGER_DEVICE_PASSWORD", "device-pw")::get).run(args);
        last = err.toString(StandardCharsets.UTF_8);
        return code;
    }

    private String last;

    @Test
    void missingOrUnknownArgumentsPrintTheUsage() {
        assertEquals(1, run("search-emr", "--patient", "p"));
        assertTrue(last.contains("--user is required"), last);
        assertEquals(1, run("consent", "maybe", "--user", "p"));
        assertEquals(1, run("consent", "grant", "--user", "p", "--doctor", "d", "--store", dir.resolve("p.p12").toString()));
        assertTrue(last.contains("--department is required"), last);
        assertEquals(1, run("audit", "--user", "p", "--colour", "red"));
        assertTrue(last.contains("unknown option"), last);
    }

    @Test
    void aPartysSecretsStayInItsPasswordProtectedStore() throws Exception {
        Path file = dir.resolve("d.p12");
        DeviceStore s = DeviceStore.open(file, "device-pw".toCharArray());
        PartyKeys keys = PartyKeys.generate(CurveProfile.p256(), new java.security.SecureRandom());
        DeviceParty.saveKeys(s, keys);
        assertEquals(keys.signingPublic(), DeviceParty.keys(DeviceStore.open(file, "device-pw".toCharArray()), CurveProfile.p256())
                .signingPublic());
        byte[] secret = keys.signing().exportSecret().encoded();
        assertFalse(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)
                .contains(new String(secret, StandardCharsets.ISO_8859_1)));
        java.io.IOException wrong = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> DeviceParty.keys(DeviceStore.open(file, "not-it".toCharArray()), CurveProfile.p256()));
        assertTrue(wrong.getMessage().contains("cannot"), wrong.getMessage());
    }
}
