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

    @Test
    void anUnchangedFileIsNotReadAgainButEveryChangeIsSeen() throws Exception {
        Path file = dir.resolve("v.p12");
        System.setProperty("medledger.vaulttest.keystore.path", file.toString());
        Pkcs12Vault v = Pkcs12Vault.named("vaulttest", alias -> "pw".toCharArray());
        v.put("hpc:a", "old keys, 16 bytes".getBytes());
        v.secret("hpc:a").orElseThrow().destroy();
        long reads = v.fileReads();
        for (int i = 0; i < 20; i++) {
            v.secret("hpc:a").orElseThrow().destroy();
        }
        assertEquals(reads, v.fileReads(), "lookups of an unchanged file compare its attributes only");

        // Another writer rewrites the file in place (same file, same size), and sets its modification time back.
        Path other = dir.resolve("other.p12");
        System.setProperty("medledger.vaulttest.keystore.path", other.toString());
        Pkcs12Vault.named("vaulttest", alias -> "pw".toCharArray()).put("hpc:a", "new keys, 16 byte".getBytes());
        System.setProperty("medledger.vaulttest.keystore.path", file.toString());
        java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(file);
        Files.write(file, Files.readAllBytes(other)); // truncates and writes the same inode
        Files.setLastModifiedTime(file, mtime);
        assertArrayEquals("new keys, 16 byte".getBytes(), v.secret("hpc:a").orElseThrow().reveal(),
                "the change is seen although size and modification time may be as before");
        assertTrue(v.fileReads() > reads);

        // A restore replaces the file (a new one moved over it).
        Path restored = dir.resolve("restored.p12");
        System.setProperty("medledger.vaulttest.keystore.path", restored.toString());
        Pkcs12Vault.named("vaulttest", alias -> "pw".toCharArray()).put("hpc:a", "restored keys".getBytes());
        System.setProperty("medledger.vaulttest.keystore.path", file.toString());
        Files.move(restored, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        assertArrayEquals("restored keys".getBytes(), v.secret("hpc:a").orElseThrow().reveal());

        // The file taken away: nothing kept is handed out any more.
        Files.delete(file);
        assertTrue(v.secret("hpc:a").isEmpty());
    }
}
