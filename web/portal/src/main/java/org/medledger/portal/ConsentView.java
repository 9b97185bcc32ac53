package org.medledger.portal;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.medledger.consensus.LedgerRecord;
import org.medledger.consent.ConsentKeys;
import org.medledger.consent.ConsentService;
import org.medledger.consent.PatientConsents;
import org.medledger.kgc.boundary.KgcRegistrationService;
import org.medledger.ledger.contract.seeds.ConsentContract;
import org.medledger.ledger.node.Receipt;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;
import org.medledger.platform.DomainException;

/**
 * A patient's consents: its consent key (created in this browser, non-extractable, or on its
 * device; the server only ever sees the public key), granting and revoking. The browser signs
 * each consent transaction ({@code resources/js/consent-sign.js}); this bean checks that the signed
 * transaction says what the form says, and hands it to {@link ConsentService} exactly as the REST
 * API does. The ledger's consent contract verifies the signature against the patient's
 * KGC-certified key.
 */
@Named
@RequestScoped
public class ConsentView {

    /** The longest consent the form offers. */
    static final int MAX_YEARS = 5;

    @EJB
    ConsentKeys keys;

    @EJB
    ConsentService consents;

    @EJB
    PatientConsents patientConsents;

    private String publicKey;
    private String signedAt;
    private String proof;
    private String granteeId;
    private String scope;
    private String expiry;
    private String transaction;
    private String revokeGranteeId;
    private String revokeScope;
    private String revokeTransaction;
    private Optional<ConsentKeys.Registered> ownKey;
    private List<PatientConsents.Consent> list;

    // ---------------------------------------------------------------- the consent key

    public ConsentKeys.Registered getKey() {
        if (ownKey == null) {
            ownKey = keys.own();
        }
        return ownKey.orElse(null);
    }

    public boolean isKeyRegistered() {
        return getKey() != null;
    }

    /** The registered public key (SEC1 compressed, base64): public, so the page may show it. */
    public String getKeyBase64() {
        ConsentKeys.Registered k = getKey();
        return k == null ? "" : Base64.getEncoder().encodeToString(k.publicKey());
    }

    public String getKeyValidUntil() {
        ConsentKeys.Registered k = getKey();
        return k == null ? "" : LocalDate.ofInstant(java.time.Instant.ofEpochMilli(k.notAfter()), ZoneOffset.UTC).toString();
    }

    /** Registers the key this browser created (its public part and the proof of possession). */
    public void registerKey() {
        byte[] pk = base64(publicKey);
        byte[] pr = base64(proof);
        long at;
        try {
            at = Long.parseLong(signedAt == null ? "" : signedAt);
        } catch (NumberFormatException e) {
            at = -1;
        }
        if (pk == null || pr == null || at < 0) {
            Outcomes.invalid("consent-key:create", "This browser could not create a key: it needs WebCrypto and IndexedDB "
                    + "(a current browser, not in private mode).");
            return;
        }
        try {
            LedgerRecord r = keys.register(pk, at, pr);
            ownKey = null;
            Outcomes.done("Your consent key is on the ledger (entry " + r.logIndex() + "). It stays in this browser and "
                    + "cannot be exported from it.");
        } catch (DomainException e) {
            Outcomes.refused("consent-key:create", e);
        }
    }

    // ---------------------------------------------------------------- grant and revoke

    public List<PatientConsents.Consent> getConsents() {
        if (list == null) {
            list = patientConsents.own();
        }
        return list;
    }

    public long getNow() {
        return System.currentTimeMillis();
    }

    /** The date a consent ends (UTC) as the page shows it. */
    public String date(long epochMillis) {
        return LocalDate.ofInstant(java.time.Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC).toString();
    }

    /** Submits the grant this browser signed, after checking it is what the form says. */
    public void grant() {
        boolean ok = requireId("consent-grant:granteeId", granteeId, "Enter the doctor's or hospital's identifier.");
        ok &= requireId("consent-grant:scope", scope, "Enter the department (e.g. cardiology), or treatment.");
        LocalDate until = null;
        try {
            until = expiry == null || expiry.isBlank() ? null : LocalDate.parse(expiry.strip());
        } catch (DateTimeParseException e) {
            until = null;
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        if (until == null || until.isBefore(today) || until.isAfter(today.plusYears(MAX_YEARS))) {
            Outcomes.invalid("consent-grant:expiry", "Choose the last day of the consent: today or later, at most "
                    + MAX_YEARS + " years ahead.");
            ok = false;
        }
        if (!ok) {
            return;
        }
        long expiryMillis = until.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() - 1;
        Transaction tx = signed("consent-grant:grant", transaction, "grant");
        if (tx == null) {
            return;
        }
        Arguments a = tx.body().args();
        if (!a.optionalString("granteeId").equals(Optional.of(granteeId)) || !a.optionalString("scope").equals(Optional.of(scope))
                || !a.optionalString("expiry").equals(Optional.of(Long.toString(expiryMillis)))) {
            Outcomes.invalid("consent-grant:grant", "The signed consent does not say what the form says; grant it again.");
            return;
        }
        try {
            Receipt r = consents.submit(Base64.getDecoder().decode(transaction), Outcomes.user());
            list = null;
            Outcomes.done("Consent granted to " + granteeId + " for " + scope + " until " + until + " (UTC): ledger entry "
                    + r.logIndex() + ".");
            granteeId = null;
            scope = null;
            expiry = null;
        } catch (DomainException e) {
            Outcomes.refused(e.code().equals("LEDGER_NOT_FOUND") ? "consent-grant:granteeId" : "consent-grant:grant", e);
        }
    }

    /** Submits the revocation this browser signed for one of the listed consents. */
    public void revoke() {
        if (!valid(revokeGranteeId) || !valid(revokeScope)) {
            Outcomes.invalid(null, "Choose the consent to revoke from the list.");
            return;
        }
        Transaction tx = signed(null, revokeTransaction, "revoke");
        if (tx == null) {
            return;
        }
        Arguments a = tx.body().args();
        if (!a.optionalString("granteeId").equals(Optional.of(revokeGranteeId))
                || !a.optionalString("scope").equals(Optional.of(revokeScope))) {
            Outcomes.invalid(null, "The signed revocation is not for the consent chosen; revoke it again.");
            return;
        }
        try {
            Receipt r = consents.submit(Base64.getDecoder().decode(revokeTransaction), Outcomes.user());
            list = null;
            Outcomes.done("Consent of " + revokeGranteeId + " for " + revokeScope + " revoked: ledger entry " + r.logIndex() + ".");
        } catch (DomainException e) {
            Outcomes.refused(e);
        }
    }

    /** The browser-signed consent transaction, or null with the reason shown at {@code clientId}. */
    private Transaction signed(String clientId, String encoded, String function) {
        byte[] raw = base64(encoded);
        if (raw == null) {
            Outcomes.invalid(clientId, isKeyRegistered()
                    ? "This browser does not hold your consent key: grant and revoke where it is kept (the browser that "
                    + "created it, or your device)."
                    : "Create your consent key first (above).");
            return null;
        }
        try {
            Transaction tx = Transaction.decode(raw);
            if (tx.body().contract().equals(ConsentContract.NAME) && tx.body().function().equals(function)) {
                return tx;
            }
        } catch (RuntimeException e) {
            // not a transaction: answered below
        }
        Outcomes.invalid(clientId, "The browser's signed consent could not be read; try again.");
        return null;
    }

    private static boolean requireId(String clientId, String value, String text) {
        if (!valid(value)) {
            Outcomes.invalid(clientId, text);
            return false;
        }
        return true;
    }

    private static boolean valid(String id) {
        return id != null && KgcRegistrationService.PARTY_ID.matcher(id).matches();
    }

    private static byte[] base64(String s) {
        if (s == null || s.isBlank() || s.length() > 4 * ConsentService.MAX_TRANSACTION) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(s.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- form values

    public String getPublicKey() {
        return publicKey;
    }

    public void setPublicKey(String publicKey) {
        this.publicKey = publicKey;
    }

    public String getSignedAt() {
        return signedAt;
    }

    public void setSignedAt(String signedAt) {
        this.signedAt = signedAt;
    }

    public String getProof() {
        return proof;
    }

    public void setProof(String proof) {
        this.proof = proof;
    }

    public String getGranteeId() {
        return granteeId;
    }

    public void setGranteeId(String granteeId) {
        this.granteeId = granteeId == null ? null : granteeId.strip();
    }

    public String getScope() {
        return scope;
    }

    public void setScope(String scope) {
        this.scope = scope == null ? null : scope.strip();
    }

    public String getExpiry() {
        return expiry;
    }

    public void setExpiry(String expiry) {
        this.expiry = expiry;
    }

    public String getTransaction() {
        return null;
    }

    public void setTransaction(String transaction) {
        this.transaction = transaction;
    }

    public String getRevokeGranteeId() {
        return null;
    }

    public void setRevokeGranteeId(String v) {
        this.revokeGranteeId = v == null ? null : v.strip();
    }

    public String getRevokeScope() {
        return null;
    }

    public void setRevokeScope(String v) {
        this.revokeScope = v == null ? null : v.strip();
    }

    public String getRevokeTransaction() {
        return null;
    }

    public void setRevokeTransaction(String v) {
        this.revokeTransaction = v;
    }
}
