package org.medledger.kgc.boundary;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.medledger.custody.KgcKeyStore;
import org.medledger.platform.DomainException;

/**
 * The KGC's keys as an operator sees them: each key's purpose, identifier and validity, and its
 * rotation state. The master key's id is the one registrations record (the first 16 bytes of
 * SHA-256 over {@code PK}); a ledger key's id is SHA-256 over its compressed point, as signed tree
 * heads name it. Public parts only; the private keys stay in the key store.
 */
@Stateless
public class KgcKeyInventory {

    /** A key is due for rotation this long before its certificate ends. */
    static final Duration ROTATE_BEFORE = Duration.ofDays(30);

    @Inject
    KgcKeyStore keys;

    /** One key: {@code state} is {@code in service}, {@code rotate now} (ends within 30 days), {@code expired} or {@code unavailable}. */
    public record Key(String purpose, String alias, String keyId, String algorithm, Instant notBefore, Instant notAfter,
                      String state) {
    }

    @RolesAllowed({"kgc-operator", "auditor"})
    public List<Key> keys() {
        List<Key> out = new ArrayList<>();
        out.add(key("Master key (s, PK): issues partial keys", masterAlias(), true));
        out.add(key("Ledger key: certifies members, endorses KGC transactions", KgcKeyStore.KGC_LEDGER_ALIAS, false));
        out.add(key("Block producer key: signs blocks and tree heads", KgcKeyStore.PRODUCER_ALIAS, false));
        return out;
    }

    private Key key(String purpose, String alias, boolean master) {
        try {
            X509Certificate c = keys.certificate(alias);
            Instant now = Instant.now();
            Instant end = c.getNotAfter().toInstant();
            String state = end.isBefore(now) ? "expired" : end.isBefore(now.plus(ROTATE_BEFORE)) ? "rotate now" : "in service";
            String id = master ? KgcRegistrationService.keyId(keys.publicKey())
                    : org.medledger.ledger.log.SignedTreeHead.keyId(org.medledger.consensus.EcKeys.compressed(c)).hex();
            return new Key(purpose, alias, id, c.getPublicKey().getAlgorithm(), c.getNotBefore().toInstant(), end, state);
        } catch (DomainException e) {
            return new Key(purpose, alias, "", "", null, null, "unavailable");
        }
    }

    private static String masterAlias() {
        return System.getProperty("medledger.kgc.keystore.alias", "kgc-master");
    }
}
