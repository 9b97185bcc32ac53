package org.medledger.portal;

import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;

import org.medledger.platform.DomainException;

/**
 * How an action's outcome reaches the person: a message beside the field it concerns, or in the
 * page's status region. Refusals keep their reason code and text; nothing else of an exception
 * (no class names, no stack trace) is ever shown.
 */
final class Outcomes {

    private Outcomes() {
    }

    static void done(String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, text, text));
    }

    static void refused(DomainException e) {
        refused(null, e);
    }

    /** A refusal, shown beside {@code clientId} (or in the page's status region when null). */
    static void refused(String clientId, DomainException e) {
        String text = e.getMessage() + " (" + e.code() + ")";
        FacesContext.getCurrentInstance().addMessage(clientId, new FacesMessage(FacesMessage.SEVERITY_ERROR, text, text));
    }

    static void invalid(String clientId, String text) {
        FacesContext ctx = FacesContext.getCurrentInstance();
        ctx.addMessage(clientId, new FacesMessage(FacesMessage.SEVERITY_ERROR, text, text));
        ctx.validationFailed();
    }

    static String user() {
        var p = FacesContext.getCurrentInstance().getExternalContext().getUserPrincipal();
        return p == null ? "" : p.getName();
    }
}
