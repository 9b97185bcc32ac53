package org.medledger.kgc.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.custody.KgcKeyStore;

/** The KGC operator's key list names every generation of the master key pair with its key id and rotation state. */
class KgcKeyInventoryTest {

    @TempDir
    Path dir;

    @BeforeEach
    void configure() throws Exception {
        System.setProperty(KgcKeyStore.pathProperty(KgcKeyStore.MASTER_ALIAS), dir.resolve("master.p12").toString());
        org.medledger.custody.KgcKeyStoreTest.writeStore(dir.resolve("master.p12"), KgcKeyStore.MASTER_ALIAS, "pw");
    }

    @AfterEach
    void clear() {
        System.clearProperty(KgcKeyStore.pathProperty(KgcKeyStore.MASTER_ALIAS));
    }

    @Test
    void everyMasterGenerationIsListedWithItsKeyIdAndState() throws Exception {
        KgcKeyInventory inventory = new KgcKeyInventory();
        inventory.keys = new KgcKeyStore(alias -> "pw".toCharArray());
        String first = KgcKeyStore.keyId(inventory.keys.publicKey());
        List<KgcKeyInventory.Key> before = inventory.keys();
        assertEquals(first, before.get(0).keyId());
        assertEquals("kgc-master", before.get(0).alias());

        KgcKeyStore.MasterKey made = inventory.keys.rotateMaster(new SecureRandom(), Duration.ofDays(365));
        List<KgcKeyInventory.Key> after = inventory.keys();
        assertEquals(first, after.get(0).keyId());
        assertEquals("verification only", after.get(0).state());
        assertEquals(made.keyId(), after.get(1).keyId());
        assertEquals("kgc-master-2", after.get(1).alias());
        assertEquals("in service", after.get(1).state());
        assertTrue(after.get(1).purpose().contains("issues partial keys"), after.get(1).purpose());
        // the ledger keys follow (unconfigured here: listed as unavailable, not left out)
        assertEquals(4, after.size());
        assertEquals("unavailable", after.get(2).state());
    }
}
