package org.medledger.custody;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.platform.DomainException;

class Pkcs12VaultTest {

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty("medledger.vaulttest.keystore.path");
    }

    @Test
    void secretsAreKeptEncryptedAndReadBackOnlyWithThePassword() throws Exception {
        Path file = dir.resolve("v.p12");
        System.setProperty("medledger.vaulttest.keystore.path", file.toString());
        java.util.concurrent.atomic.AtomicReference<String> password = new java.util.concurrent.atomic.AtomicReference<>("pw-1");
        java.util.List<String> asked = new java.util.ArrayList<>();
        Pkcs12Vault v = Pkcs12Vault.named("vaulttest", alias -> {
            asked.add(alias);
            return password.get().toCharArray();
        });
        assertTrue(v.secret("hpc:a").isEmpty());
        byte[] secret = "0123456789abcdef0123456789abcdef-not-in-clear".getBytes();
        v.put("hpc:a", secret);
        assertArrayEquals(secret, v.secret("hpc:a").orElseThrow().reveal());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                "the key store is readable by its owner only");
        assertFalse(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1).contains("not-in-clear"));

        assertTrue(asked.stream().allMatch("vaulttest-keystore"::equals), asked.toString());
        password.set("wrong");
        Pkcs12Vault restarted = Pkcs12Vault.named("vaulttest", alias -> password.get().toCharArray());
        DomainException e = assertThrows(DomainException.class, () -> restarted.secret("hpc:a"));
        assertEquals("VAULTTEST_KEY_UNAVAILABLE", e.code());
        assertFalse(e.getMessage().contains("pw-1"));
    }

    @Test
    void anUnconfiguredVaultIsUnavailable() {
        DomainException e = assertThrows(DomainException.class,
                () -> Pkcs12Vault.named("vaulttest", alias -> "pw".toCharArray()).secret("x"));
        assertEquals(DomainException.Kind.UNAVAILABLE, e.kind());
    }
}
