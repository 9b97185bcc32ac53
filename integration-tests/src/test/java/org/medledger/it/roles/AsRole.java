package org.medledger.it.roles;

import jakarta.annotation.security.PermitAll;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * EjbRolesIT's front-end bean that calls on behalf of one realm role: one type, declared once per
 * role by {@link #descriptor()} ({@code AsInsurer}, {@code AsOperator}, …), each with its run-as role.
 */
@PermitAll
public class AsRole {

    /** The bean name and its run-as role, for every role the test calls as. */
    public static final Map<String, String> ROLES = Map.of(
            "AsInsurer", "insurer",
            "AsOperator", "kgc-operator",
            "AsHospitalAdmin", "hospital-admin",
            "AsPatient", "patient");

    public <T> T call(Callable<T> action) throws Exception {
        return action.call();
    }

    /** The EJB module's {@code ejb-jar.xml}: one stateless session bean of this class per role. */
    public static String descriptor() {
        StringBuilder beans = new StringBuilder();
        StringBuilder roles = new StringBuilder();
        ROLES.forEach((bean, role) -> {
            beans.append("    <session><ejb-name>").append(bean).append("</ejb-name><ejb-class>").append(AsRole.class.getName())
                    .append("</ejb-class><session-type>Stateless</session-type><security-identity><run-as><role-name>")
                    .append(role).append("</role-name></run-as></security-identity></session>\n");
            roles.append("    <security-role><role-name>").append(role).append("</role-name></security-role>\n");
        });
        return "<ejb-jar xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" "
                + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                + "xsi:schemaLocation=\"https://jakarta.ee/xml/ns/jakartaee https://jakarta.ee/xml/ns/jakartaee/ejb-jar_4_0.xsd\" "
                + "version=\"4.0\">\n  <enterprise-beans>\n" + beans + "  </enterprise-beans>\n  <assembly-descriptor>\n" + roles
                + "  </assembly-descriptor>\n</ejb-jar>\n";
    }
}
