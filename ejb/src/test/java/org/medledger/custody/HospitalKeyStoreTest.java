package org.medledger.custody;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.protocol.common.SecretBytes;

/**
 * The hospital key store unlocks an entry once and keeps it for the server's life; a change of
 * the store file (another writer, a restore) makes it read the file again.
 */
class HospitalKeyStoreTest {

    @TempDir
    Path dir;

    final AtomicInteger opened = new AtomicInteger();

    @BeforeEach
    void configure() {
        System.setProperty("medledger.hospitaltest.keystore.path", dir.resolve("hospital.p12").toString());
    }

    @AfterEach
    void clear() {
        System.clearProperty("medledger.hospitaltest.keystore.path");
    }

    Pkcs12Vault vault() {
        return Pkcs12Vault.named("hospitaltest", alias -> {
            opened.incrementAndGet();
            return "store-pw".toCharArray();
        });
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anEntryIsUnlockedOnceAndEachCallerGetsItsOwnCopy() throws Exception {
        HospitalKeyStore store = new HospitalKeyStore(vault());
        store.putHospitalKeys("HPC-1", bytes("hpc-1 keys"));
        SecretBytes first = store.hospitalKeys("hpc-1").orElseThrow();
        int afterFirst = opened.get();
        for (int i = 0; i < 5; i++) {
            SecretBytes again = store.hospitalKeys("hpc-1").orElseThrow();
            assertArrayEquals(bytes("hpc-1 keys"), again.reveal());
            again.destroy();
        }
        assertEquals(afterFirst, opened.get(), "the store file is not opened again while it is unchanged");
        first.destroy();
        assertArrayEquals(bytes("hpc-1 keys"), store.hospitalKeys("hpc-1").orElseThrow().reveal(),
                "a caller destroying its copy leaves the kept entry whole");
        assertTrue(store.hospitalKeys("hpc-2").isEmpty());
        assertFalse(store.toString().contains("hpc-1 keys"));
    }

    @Test
    void aChangeOfTheStoreFileReloadsTheEntries() throws Exception {
        HospitalKeyStore store = new HospitalKeyStore(vault());
        store.putHospitalKeys("hpc-1", bytes("old keys"));
        assertArrayEquals(bytes("old keys"), store.hospitalKeys("hpc-1").orElseThrow().reveal());
        // another writer (a restore, a second server process) replaces the file
        vault().put("hpc:hpc-1", bytes("new keys"));
        int before = opened.get();
        assertArrayEquals(bytes("new keys"), store.hospitalKeys("hpc-1").orElseThrow().reveal());
        assertTrue(opened.get() > before, "the changed file is opened again");
        // a write through the store itself also drops what it had unlocked
        store.putHospitalKeys("hpc-1", bytes("newer keys"));
        assertArrayEquals(bytes("newer keys"), store.hospitalKeys("hpc-1").orElseThrow().reveal());
    }

    @Test
    void aKeptEntryIsHandedOutWithoutTheStoresOrTheVaultsLock() throws Exception {
        Pkcs12Vault vault = vault();
        HospitalKeyStore store = new HospitalKeyStore(vault);
        store.putHospitalKeys("hpc-1", bytes("hpc-1 keys"));
        store.hospitalKeys("hpc-1").orElseThrow().destroy();
        // Another thread holds both monitors (as a global lock would be held by a first unlock or a
        // write): a lookup of a kept entry (search steps 4 and 6) still goes through.
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Thread holder = new Thread(() -> {
            synchronized (store) {
                synchronized (vault) {
                    held.countDown();
                    try {
                        done.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        holder.start();
        try {
            assertTrue(held.await(30, java.util.concurrent.TimeUnit.SECONDS));
            java.util.concurrent.FutureTask<byte[]> lookup = new java.util.concurrent.FutureTask<>(
                    () -> store.hospitalKeys("hpc-1").orElseThrow().reveal());
            new Thread(lookup).start();
            assertArrayEquals(bytes("hpc-1 keys"), lookup.get(30, java.util.concurrent.TimeUnit.SECONDS),
                    "the lookup did not wait for the lock holder");
        } finally {
            done.countDown();
            holder.join();
        }
    }
}
