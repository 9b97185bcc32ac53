package org.medledger.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.client.emrauth.DeviceStore;
import org.medledger.client.group.GroupClient;
import org.medledger.client.group.GroupDevice;
import org.medledger.client.group.GroupSecrets;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.protocol.group.Chebyshev;
import org.medledger.protocol.group.ChebyshevParameters;

/** The GROUP-AGG commands' argument checks, and the member's Chebyshev key kept in its device store. */
class GroupCommandsTest {

    @TempDir
    Path dir;

    private String last;

    private int run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new GroupCommands(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err),
                Map.of("MEDLEDGER_DEVICE_PASSWORD", "device-pw")::get).run(args);
        last = err.toString(StandardCharsets.UTF_8);
        return code;
    }

    @Test
    void missingOrUnknownArgumentsPrintTheUsage() {
        assertEquals(1, run("group"));
        assertTrue(last.contains("medledger group register"), last);
        assertEquals(1, run("group", "dance", "--user", "p"));
        assertEquals(1, run("group", "sync", "--group", "g"));
        assertTrue(last.contains("--user is required"), last);
        assertEquals(1, run("group", "read", "--user", "p", "--colour", "red"));
        assertTrue(last.contains("unknown option"), last);
        assertEquals(1, run("group", "read", "--user", "p", "--group", "g", "--store", dir.resolve("p.p12").toString()));
        assertTrue(last.contains("group register"), "a device without a member key is told to register: " + last);
        assertEquals(1, run("group", "register", "--user", "p", "--role", "nurse", "--store", dir.resolve("p.p12").toString()));
        assertTrue(last.contains("--role must be"), last);
    }

    @Test
    void theChebyshevKeyStaysOnTheDeviceAcrossRuns() throws Exception {
        Path file = dir.resolve("f.p12");
        Chebyshev t = new Chebyshev(ChebyshevParameters.modp2048());
        GroupClient client = new GroupClient(HttpClient.newHttpClient(), URI.create("http://127.0.0.1:9/api"), t);
        GroupDevice first = GroupDevice.open("f", "family", t, P256SignatureScheme.generate(new SecureRandom()), null,
                GroupSecrets.of(DeviceStore.open(file, "device-pw".toCharArray())), client, null, Clock.systemUTC(), new SecureRandom());
        GroupDevice again = GroupDevice.open("f", "family", t, P256SignatureScheme.generate(new SecureRandom()), null,
                GroupSecrets.of(DeviceStore.open(file, "device-pw".toCharArray())), client, null, Clock.systemUTC(), new SecureRandom());
        assertTrue(java.util.Arrays.equals(first.publicKey(), again.publicKey()), "the key is generated once and kept");
        // the secret exponent is in the store, encrypted under the store's password
        byte[] secret = DeviceStore.open(file, "device-pw".toCharArray()).require("group-chebyshev-key").reveal();
        assertTrue(secret.length > 0);
        assertFalse(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)
                .contains(new String(secret, StandardCharsets.ISO_8859_1)));
    }
}
