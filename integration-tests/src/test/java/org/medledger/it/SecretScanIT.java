package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.Key;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Runs after every other integration test (its own failsafe execution): every log the run wrote
 * is scanned for every secret the run used or generated — the servers' passwords and client
 * secrets, the authorities' passwords, and the KGC's private keys read back from the key store —
 * and every key store the run created must be readable by its owner only. The same checks run
 * over {@code .medledger/} when {@code bin/run} has created one in this checkout.
 */
class SecretScanIT {

    private static Map<String, String> runSecrets() throws Exception {
        Map<String, String> s = new LinkedHashMap<>();
        for (String p : List.of("credential-store.password", "portal.secret", "server.secret", "tls-authority.password")) {
            s.put(p, ItConfig.require("medledger.it.secret." + p));
        }
        s.put("keycloak admin", KeycloakAdmin.ADMIN_PASSWORD);
        s.put("medical authority", new String(ItPki.PASSWORD));
        s.put("trust store", new String(ItPki.TRUST_STORE_PASSWORD));
        // the key stores' own passwords, which exist only in the server's credential store
        Map<String, char[]> stored = ServerCredentialStore.passwords();
        stored.forEach((alias, pw) -> s.put("credential " + alias, new String(pw)));
        // the KGC's private keys, as the server generated them (each in its own store), in the
        // encodings a leak would use
        for (String file : ServerCredentialStore.kgcStores()) {
            char[] pw = stored.get(ServerCredentialStore.KEY_STORES.get(file));
            String alias = ServerCredentialStore.KGC_ENTRIES.get(file);
            Key k = ServerCredentialStore.open(file, pw).getKey(alias, pw);
            byte[] d = toFixed(((ECPrivateKey) k).getS().toByteArray());
            s.put(alias + " hex", HexFormat.of().formatHex(d));
            s.put(alias + " base64", Base64.getEncoder().encodeToString(d));
            s.put(alias + " decimal", ((ECPrivateKey) k).getS().toString());
        }
        return s;
    }

    private static byte[] toFixed(byte[] v) {
        byte[] out = new byte[32];
        int n = Math.min(32, v.length);
        System.arraycopy(v, v.length - n, out, 32 - n, n);
        return out;
    }

    private static List<Path> files(Path root, String... suffixes) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString();
                for (String suffix : suffixes) {
                    if (n.endsWith(suffix)) {
                        return true;
                    }
                }
                return suffixes.length == 0;
            }).toList();
        }
    }

    private static List<String> leaks(List<Path> files, Map<String, String> secrets) throws IOException {
        List<String> found = new ArrayList<>();
        for (Path f : files) {
            String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            secrets.forEach((name, value) -> {
                if (value.length() >= 8 && text.contains(value)) {
                    found.add(name + " in " + f);
                }
            });
        }
        return found;
    }

    @Test
    void noLogOfTheRunHoldsASecret() throws Exception {
        Map<String, String> secrets = runSecrets();
        Path target = ItConfig.output();
        List<Path> logs = new ArrayList<>(files(target, ".log", "-output.txt", ".txt"));
        logs.addAll(files(Path.of(ItConfig.require("jboss.home"), "standalone/log")));
        logs.addAll(files(Path.of(ItConfig.require("medledger.it.keycloak.home"), "data/log")));
        // WildFly runs in every integration-test run; Keycloak only when a test needs it (its log is
        // scanned whenever it exists)
        assertTrue(logs.stream().anyMatch(p -> p.getFileName().toString().equals("server.log")),
                "the WildFly log of the run must be among the scanned files: " + logs);
        assertEquals(List.of(), leaks(logs, secrets));
    }

    @Test
    void everyKeyStoreOfTheRunIsReadableByItsOwnerOnly() throws Exception {
        List<Path> stores = new ArrayList<>(files(ItPki.dir(), ".p12", ".key"));
        stores.addAll(files(Path.of(ItConfig.require("medledger.it.tls")), ".p12", ".key"));
        stores.addAll(files(ServerCredentialStore.configDir(), ".p12", ".cs").stream()
                .filter(p -> p.getFileName().toString().startsWith("medledger-")).toList());
        assertTrue(stores.contains(ServerCredentialStore.file()), "the credential store is among the checked files");
        assertFalse(stores.isEmpty());
        for (Path p : stores) {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p);
            assertFalse(mode.contains(PosixFilePermission.OTHERS_READ) || mode.contains(PosixFilePermission.GROUP_READ),
                    p + " is readable by others: " + java.nio.file.attribute.PosixFilePermissions.toString(mode));
        }
    }

    /** What bin/run left in this checkout, if it ran here: modes, and no secret outside secrets.env. */
    @Test
    void theRunCommandsFilesKeepTheirSecrets() throws Exception {
        Path state = Path.of(ItConfig.require("medledger.it.root"), ".medledger");
        Path env = state.resolve("secrets.env");
        if (!Files.exists(env)) {
            return; // bin/run has not run in this checkout
        }
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(env)));
        Map<String, String> secrets = new LinkedHashMap<>();
        for (String line : Files.readAllLines(env)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                secrets.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        assertEquals(secrets.size(), Set.copyOf(secrets.values()).size(), "a password is reused");
        List<Path> all = new ArrayList<>(files(state.resolve("pki")));
        all.addAll(files(state, ".log"));
        all.removeIf(p -> p.equals(env));
        assertEquals(List.of(), leaks(all, secrets));
        for (Path p : files(state.resolve("pki"), ".p12", ".key")) {
            assertFalse(Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_READ), p.toString());
        }
    }
}
