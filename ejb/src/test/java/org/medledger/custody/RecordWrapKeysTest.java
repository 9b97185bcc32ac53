package org.medledger.custody;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.platform.DomainException;
import org.medledger.protocol.common.SecretBytes;

/**
 * An envelope names its record key by key id; an unknown or retired key id never opens (fails
 * closed with its reason), w0 (or no key id: rows from before rotation) is the key of the holder's
 * own entry, a rotated key comes from the key store. The key table is a stand-in for the database.
 */
class RecordWrapKeysTest {

    @TempDir
    Path dir;

    /** key id -> state of the one holder in this test. */
    final Map<String, String> table = new java.util.HashMap<>();

    @BeforeEach
    void configure() {
        System.setProperty("medledger.wraptest.keystore.path", dir.resolve("h.p12").toString());
    }

    @AfterEach
    void clear() {
        System.clearProperty("medledger.wraptest.keystore.path");
    }

    RecordWrapKeys keys() {
        RecordWrapKeys k = new RecordWrapKeys();
        k.keyStore = new HospitalKeyStore(Pkcs12Vault.named("wraptest", alias -> "pw".toCharArray()));
        k.em = (EntityManager) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {EntityManager.class},
                (p, m, args) -> {
                    if (!m.getName().equals("createNativeQuery")) {
                        throw new UnsupportedOperationException(m.getName());
                    }
                    String sql = (String) args[0];
                    List<Object> params = new ArrayList<>(List.of("", "", ""));
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Query.class}, (q, qm, qa) -> {
                        switch (qm.getName()) {
                            case "setParameter" -> {
                                params.set((Integer) qa[0] - 1, qa[1]);
                                return q;
                            }
                            case "getResultList" -> {
                                // SELECT ... WHERE holder_id = ?1 AND key_id = ?2
                                String id = (String) params.get(1);
                                if (sql.contains("key_id = ?2") && table.containsKey(id)) {
                                    List<Object[]> rows = new ArrayList<>();
                                    rows.add(new Object[] {id, table.get(id), 1L, "admin", null, null});
                                    return rows;
                                }
                                return new ArrayList<>();
                            }
                            default -> throw new UnsupportedOperationException(qm.getName());
                        }
                    });
                });
        return k;
    }

    @Test
    void aRecordNamingAnUnknownOrRetiredKeyDoesNotOpen() throws Exception {
        SecretBytes initial = SecretBytes.copyOf(new byte[] {1, 2, 3});
        RecordWrapKeys k = keys();
        assertArrayEquals(new byte[] {1, 2, 3}, k.key("hpc:h1", null, initial).reveal(), "rows from before rotation: w0");
        assertArrayEquals(new byte[] {1, 2, 3}, k.key("hpc:h1", "w0", initial).reveal());

        assertEquals("WRAP_KEY_UNKNOWN", assertThrows(DomainException.class, () -> k.key("hpc:h1", "w7", initial)).code());
        table.put("w1", "current");
        assertEquals("WRAP_KEY_UNKNOWN", assertThrows(DomainException.class, () -> k.key("hpc:h1", "w1", initial)).code(),
                "a key id the table knows but the key store does not hold");
        k.keyStore.vault().put(RecordWrapKeys.alias("hpc:h1", "w1"), new byte[] {9, 9});
        assertArrayEquals(new byte[] {9, 9}, k.key("hpc:h1", "w1", initial).reveal());

        table.put("w0", "retired");
        DomainException retired = assertThrows(DomainException.class, () -> k.key("hpc:h1", null, initial));
        assertEquals("WRAP_KEY_RETIRED", retired.code());
        assertEquals(DomainException.Kind.UNAVAILABLE, retired.kind());
    }
}
