package org.medledger.portal;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.security.Principal;
import java.util.Base64;
import java.util.List;

import org.medledger.kgc.KgcPublicKey;
import org.medledger.kgc.boundary.KgcRegistrationService;
import org.medledger.platform.DomainException;

/** Who is logged in to the portal, with which roles, and the KGC public key. */
@Named
@RequestScoped
public class PortalIdentity {

    /** The realm roles the portal knows about, in display order. */
    static final List<String> ROLES = List.of("doctor", "patient", "hospital-admin", "insurer", "researcher", "auditor",
            "kgc-operator");

    @Inject
    KgcRegistrationService kgc;

    private KgcPublicKey publicKey;
    private boolean publicKeyLoaded;

    public String getUsername() {
        Principal p = external().getUserPrincipal();
        return p == null ? "" : p.getName();
    }

    public List<String> getRoles() {
        ExternalContext ctx = external();
        return ROLES.stream().filter(ctx::isUserInRole).toList();
    }

    public String getKgcCurve() {
        KgcPublicKey pk = key();
        return pk == null ? "" : pk.curve();
    }

    public String getKgcPublicKey() {
        KgcPublicKey pk = key();
        return pk == null ? "unavailable" : Base64.getEncoder().encodeToString(pk.encoded());
    }

    public String getKgcKeyId() {
        KgcPublicKey pk = key();
        return pk == null ? "" : pk.keyId();
    }

    private KgcPublicKey key() {
        if (!publicKeyLoaded) {
            publicKeyLoaded = true;
            try {
                publicKey = kgc.publicKey();
            } catch (DomainException e) {
                publicKey = null;
            }
        }
        return publicKey;
    }

    private static ExternalContext external() {
        return FacesContext.getCurrentInstance().getExternalContext();
    }
}
