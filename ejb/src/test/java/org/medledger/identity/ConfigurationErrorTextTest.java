package org.medledger.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.medledger.custody.KgcKeyStore;
import org.medledger.platform.DomainException;

/**
 * What a client reads when the server is misconfigured: a stable code and a sentence, never the
 * name of a setting, a file, a key alias or an exception (they go to the server log).
 */
class ConfigurationErrorTextTest {

    private static void assertNothingInternal(DomainException e) {
        String text = e.getMessage();
        assertFalse(text.contains("medledger."), text);
        assertFalse(text.contains("kgc-master") || text.contains("kgc-ledger") || text.contains("ledger-producer"), text);
        assertFalse(text.contains("Exception") || text.contains(".p12") || text.contains("/"), text);
    }

    @Test
    void anUnconfiguredKgcKeyStoreNamesNoSetting() {
        System.clearProperty(KgcKeyStore.pathProperty(KgcKeyStore.MASTER_ALIAS));
        System.clearProperty(KgcKeyStore.pathProperty(KgcKeyStore.KGC_LEDGER_ALIAS));
        DomainException e = assertThrows(DomainException.class, () -> new KgcKeyStore().publicKey());
        assertEquals("KGC_KEY_UNAVAILABLE", e.code());
        assertNothingInternal(e);
        DomainException p = assertThrows(DomainException.class, () -> new KgcKeyStore().privateKey("kgc-ledger"));
        assertNothingInternal(p);
    }

    @Test
    void anUnconfiguredMedicalAuthorityNamesNoSetting() {
        System.clearProperty("medledger.ma.ca-cert");
        DomainException e = assertThrows(DomainException.class,
                () -> new MedicalAuthorityTrust().verifier(Clock.systemUTC()));
        assertEquals("MEDICAL_AUTHORITY_UNAVAILABLE", e.code());
        assertNothingInternal(e);
    }
}
