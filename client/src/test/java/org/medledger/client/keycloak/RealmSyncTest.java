package org.medledger.client.keycloak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

class RealmSyncTest {

    @Test
    void placeholdersComeFromTheEnvironmentJsonEscaped() {
        String file = "{\"secret\":\"${MEDLEDGER_PORTAL_CLIENT_SECRET}\",\"url\":\"${MEDLEDGER_PORTAL_URL}/*\",\"x\":\"$ {NOT}\"}";
        Map<String, String> env = Map.of("MEDLEDGER_PORTAL_CLIENT_SECRET", "a\"b\\c$1", "MEDLEDGER_PORTAL_URL", "https://h:1");
        assertEquals("{\"secret\":\"a\\\"b\\\\c$1\",\"url\":\"https://h:1/*\",\"x\":\"$ {NOT}\"}", RealmSync.resolve(file, env::get));
    }

    @Test
    void aMissingPlaceholderIsAnErrorNotAnEmptyValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RealmSync.resolve("{\"s\":\"${MEDLEDGER_SERVER_CLIENT_SECRET}\"}", k -> null));
        assertEquals("the realm file needs MEDLEDGER_SERVER_CLIENT_SECRET in the environment", e.getMessage());
    }

    @Test
    void theStampFollowsTheResolvedFile() {
        String file = "{\"s\":\"${A_SECRET}\"}";
        assertNotEquals(RealmSync.sha256(RealmSync.resolve(file, Map.of("A_SECRET", "one")::get)),
                RealmSync.sha256(RealmSync.resolve(file, Map.of("A_SECRET", "two")::get)));
        // a known-answer check of the digest itself (SHA-256 of "abc", FIPS 180-2)
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", RealmSync.sha256("abc"));
    }
}
