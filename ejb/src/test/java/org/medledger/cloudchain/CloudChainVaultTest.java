package org.medledger.cloudchain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.custody.Pkcs12Vault;
import org.medledger.protocol.common.SecretBytes;

/** The key store is opened once per entry; callers get copies of the kept entry. */
class CloudChainVaultTest {

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty("medledger.cctest.keystore.path");
    }

    @Test
    void anEntryIsReadFromTheKeyStoreOnceAndHandedOutAsCopies() throws Exception {
        System.setProperty("medledger.cctest.keystore.path", dir.resolve("h.p12").toString());
        AtomicInteger opened = new AtomicInteger();
        Pkcs12Vault store = Pkcs12Vault.named("cctest", alias -> {
            opened.incrementAndGet();
            return "pw".toCharArray();
        });
        byte[] keys = "center keys, 32 bytes or more...".getBytes();
        store.put("cc-mc:ab", keys);
        CloudChainVault vault = new CloudChainVault(store);

        assertTrue(vault.cloudServer().isEmpty(), "an absent entry stays absent");
        int before = opened.get();
        SecretBytes first = vault.center("ab").orElseThrow();
        int afterFirst = opened.get();
        assertTrue(afterFirst > before, "the first use opens the key store");
        first.destroy();
        SecretBytes second = vault.center("ab").orElseThrow();
        assertEquals(afterFirst, opened.get(), "later uses do not open the key store again");
        assertArrayEquals(keys, second.reveal(), "destroying a copy leaves the kept entry intact");

        byte[] replaced = "replacement center keys, 32 bytes".getBytes();
        vault.putCenter("ab", replaced);
        assertArrayEquals(replaced, vault.center("ab").orElseThrow().reveal());
        assertArrayEquals(replaced, new CloudChainVault(store).center("ab").orElseThrow().reveal(), "written through to the key store");
        assertFalse(vault.toString().contains("center keys"));

        vault.wipe();
        assertTrue(second.reveal().length > 0, "copies handed out are the caller's");
    }
}
