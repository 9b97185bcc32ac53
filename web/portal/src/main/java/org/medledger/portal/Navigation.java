package org.medledger.portal;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Named;

import java.util.List;

/**
 * The one navigation: only the pages the signed-in user's roles may open. The same roles guard
 * the pages themselves (web.xml), so a link left out is also a page refused.
 */
@Named
@RequestScoped
public class Navigation {

    /** A navigation entry: the role that may open it, its path under the portal, its label. */
    public record Item(String role, String path, String label) {
    }

    static final List<Item> ITEMS = List.of(
            new Item("patient", "/patient/index.xhtml", "My records"),
            new Item("patient", "/patient/consents.xhtml", "Consents"),
            new Item("doctor", "/doctor/index.xhtml", "Doctor"),
            new Item("doctor", "/doctor/records.xhtml", "Records"),
            new Item("doctor", "/doctor/record.xhtml", "Read a record"),
            new Item("hospital-admin", "/hospital/index.xhtml", "Hospital IT"),
            new Item("insurer", "/insurer/index.xhtml", "Claims"),
            new Item("researcher", "/researcher/index.xhtml", "Research records"),
            new Item("auditor", "/auditor/index.xhtml", "Audit"),
            new Item("kgc-operator", "/kgc/index.xhtml", "Key generation center"));

    public List<Item> getItems() {
        ExternalContext ctx = FacesContext.getCurrentInstance().getExternalContext();
        return ITEMS.stream().filter(i -> ctx.isUserInRole(i.role())).toList();
    }

    /** Whether {@code path} is the page being shown (for aria-current). */
    public boolean current(String path) {
        return path.equals(FacesContext.getCurrentInstance().getViewRoot().getViewId());
    }
}
