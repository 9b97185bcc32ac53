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
        try {
            // every generation of the master key pair: the current one issues, older ones only verify
            for (KgcKeyStore.MasterKey m : keys.masterKeys()) {
                out.add(master(m));
            }
        } catch (DomainException e) {
            out.add(new Key("Master key (s, PK)", KgcKeyStore.MASTER_ALIAS, "", "", null, null, "unavailable"));
        }
        out.add(key("Ledger key: certifies members, endorses KGC transactions", KgcKeyStore.KGC_LEDGER_ALIAS));
        out.add(key("Block producer key: signs blocks and tree heads", KgcKeyStore.PRODUCER_ALIAS));
        return out;
    }

    private static Key master(KgcKeyStore.MasterKey m) {
        X509Certificate c = m.certificate();
        String purpose = "Master key (s, PK), generation " + m.generation() + (m.current()
                ? ": issues partial keys" : ": rotated out, verifies the partial keys it issued");
        String state = m.current() ? validity(c) : "verification only";
        return new Key(purpose, m.alias(), m.keyId(), c.getPublicKey().getAlgorithm(), c.getNotBefore().toInstant(),
                c.getNotAfter().toInstant(), state);
    }

    private static String validity(X509Certificate c) {
        Instant now = Instant.now();
        Instant end = c.getNotAfter().toInstant();
        return end.isBefore(now) ? "expired" : end.isBefore(now.plus(ROTATE_BEFORE)) ? "rotate now" : "in service";
    }

    private Key key(String purpose, String alias) {
        try {
            X509Certificate c = keys.certificate(alias);
            String id = org.medledger.ledger.log.SignedTreeHead.keyId(org.medledger.consensus.EcKeys.compressed(c)).hex();
            return new Key(purpose, alias, id, c.getPublicKey().getAlgorithm(), c.getNotBefore().toInstant(),
                    c.getNotAfter().toInstant(), validity(c));
        } catch (DomainException e) {
            return new Key(purpose, alias, "", "", null, null, "unavailable");
        }
    }
}
