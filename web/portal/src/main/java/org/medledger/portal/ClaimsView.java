package org.medledger.portal;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Named;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.medledger.abe.AbeChainService;
import org.medledger.abe.AbeKgcService;
import org.medledger.abe.ConsumerAttributes;
import org.medledger.platform.DomainException;
import org.medledger.protocol.abe.AccessPolicy;
import org.medledger.protocol.common.ProtocolException;

/**
 * A data consumer's claims (insurer) or research records (researcher), ABE-CHAIN: the endorsed
 * records and the authorization letters behind them, which of them the consumer's attributes
 * satisfy, and opening one — the release through {@link AbeChainService#release} (the access entry
 * on the ledger first, refused when the attributes do not satisfy the letter's policy), then the
 * checks and decryption of Fig. 3 step 7 with an attribute key derived for that one decryption
 * ({@link AbeKgcService#openReleased}); the FHIR result is rendered by the browser.
 */
@Named
@RequestScoped
public class ClaimsView {

    /** An endorsed record as listed, with whether the caller's attributes satisfy its letter's policy. */
    public record Row(AbeChainService.Listed record, boolean usable) {
    }

    @EJB
    AbeChainService chain;

    @EJB
    AbeKgcService kgc;

    private Set<String> attributes;
    private List<Row> rows;
    private String opened;
    private String openedId;
    private long openedLogIndex;

    /** The caller's ABE-CHAIN attributes: its realm roles from the session's verified token, each confirmed. */
    public Set<String> getAttributes() {
        if (attributes == null) {
            ExternalContext ctx = FacesContext.getCurrentInstance().getExternalContext();
            attributes = ConsumerAttributes.of(sessionToken(ctx.getUserPrincipal(), ctx), ctx::isUserInRole);
        }
        return attributes;
    }

    public String getAttributeList() {
        return getAttributes().isEmpty() ? "none" : String.join(", ", getAttributes());
    }

    public List<Row> getRows() {
        if (rows == null) {
            Set<String> folded = new TreeSet<>();
            getAttributes().forEach(a -> folded.add(AccessPolicy.foldAttribute(a)));
            rows = chain.list(null).stream().map(r -> new Row(r, satisfies(r.policy(), folded))).toList();
        }
        return rows;
    }

    private static boolean satisfies(String policy, Set<String> attributes) {
        try {
            return AccessPolicy.parse(policy).isSatisfiedBy(attributes);
        } catch (ProtocolException e) {
            return false;
        }
    }

    /** Opens the record named by the posted {@code descriptorId}. */
    public void open() {
        String id = FacesContext.getCurrentInstance().getExternalContext().getRequestParameterMap().get("descriptorId");
        if (id == null || id.isBlank() || id.length() > 128) {
            Outcomes.invalid(null, "Choose a record to open.");
            return;
        }
        String me = Outcomes.user();
        try {
            AbeChainService.Release r = chain.release(id, me, getAttributes());
            if (!r.released()) {
                Outcomes.refused(new DomainException(DomainException.Kind.FORBIDDEN, r.reason(),
                        "Your attributes do not satisfy this record's policy; the refusal is ledger entry " + r.logIndex()));
                return;
            }
            byte[] record = kgc.openReleased(me, getAttributes(), id, r.letter(), r.submission());
            opened = new String(record, StandardCharsets.UTF_8);
            openedId = id;
            openedLogIndex = r.logIndex();
            Outcomes.done("Record " + id + " released after its access entry " + r.logIndex()
                    + " was on the ledger, signatures checked and decrypted with your attribute key.");
        } catch (DomainException e) {
            Outcomes.refused(e);
        }
    }

    public String getOpened() {
        return opened;
    }

    public String getOpenedId() {
        return openedId;
    }

    public long getOpenedLogIndex() {
        return openedLogIndex;
    }

    /**
     * The access token of the portal session (the OIDC principal's security context), read by
     * reflection so the portal needs no compile-time tie to the container's OIDC classes; null if absent.
     */
    static String sessionToken(Principal principal, ExternalContext ctx) {
        Object context = null;
        try {
            if (principal != null) {
                context = principal.getClass().getMethod("getOidcSecurityContext").invoke(principal);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            context = null;
        }
        if (context == null) {
            context = ctx.getRequestMap().get("org.wildfly.security.http.oidc.OidcSecurityContext");
        }
        if (context == null) {
            return null;
        }
        try {
            return (String) context.getClass().getMethod("getTokenString").invoke(context);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
