package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RunAs;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBAccessException;
import jakarta.ejb.Stateless;

import java.util.concurrent.Callable;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.Testable;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medledger.kgc.boundary.KgcRegistrationService;
import org.medledger.platform.DomainException;

/**
 * A second front end inside the EAR (this test's own web module, not secured by OIDC) calls the
 * KGC bean directly: the bean's own role checks refuse an anonymous caller and a caller running
 * as the wrong role, and let a caller with the right role through to the bean's logic.
 */
@ExtendWith(ArquillianExtension.class)
class EjbRolesIT {

    @Deployment
    static EnterpriseArchive deployment() {
        EnterpriseArchive ear = Deployments.medledgerEar();
        WebArchive frontEnd = ShrinkWrap.create(WebArchive.class, "medledger-ejb-roles-it.war")
                .addClasses(EjbRolesIT.class, AsInsurer.class, AsOperator.class);
        String xml = new String(readAll(ear.get("META-INF/application.xml").getAsset()),
                java.nio.charset.StandardCharsets.UTF_8);
        // the servlet protocol enriches this module, not the EAR's own web modules
        ear.addAsModule(Testable.archiveToTest(frontEnd));
        ear.setApplicationXML(new StringAsset(xml.replace("<library-directory>",
                "<module><web><web-uri>medledger-ejb-roles-it.war</web-uri><context-root>/ejb-roles-it</context-root>"
                        + "</web></module>\n  <library-directory>")));
        return ear;
    }

    private static byte[] readAll(org.jboss.shrinkwrap.api.asset.Asset a) {
        try (java.io.InputStream in = a.openStream()) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Calls on behalf of an insurer. */
    @Stateless(name = "AsInsurer")
    @PermitAll
    @RunAs("insurer")
    public static class AsInsurer {
        public <T> T call(Callable<T> action) throws Exception {
            return action.call();
        }
    }

    /** Calls on behalf of a KGC operator. */
    @Stateless(name = "AsOperator")
    @PermitAll
    @RunAs("kgc-operator")
    public static class AsOperator {
        public <T> T call(Callable<T> action) throws Exception {
            return action.call();
        }
    }

    @EJB(lookup = "java:global/medledger/medledger-ejb/KgcRegistrationService!"
            + "org.medledger.kgc.boundary.KgcRegistrationService")
    KgcRegistrationService kgc;

    @EJB(lookup = "java:module/AsInsurer!org.medledger.it.EjbRolesIT$AsInsurer")
    AsInsurer insurer;

    @EJB(lookup = "java:module/AsOperator!org.medledger.it.EjbRolesIT$AsOperator")
    AsOperator operator;

    private static void assertAccessRefused(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof EJBAccessException) {
                return;
            }
        }
        throw new AssertionError("expected the bean to refuse the caller's role", t);
    }

    @Test
    void anAnonymousCallerIsRefusedByTheBean() {
        assertAccessRefused(assertThrows(Exception.class, () -> kgc.registration("p-nobody")));
        assertAccessRefused(assertThrows(Exception.class, () -> kgc.recordDoctorRevocation("dr-x", new byte[1], "x")));
    }

    @Test
    void aCallerWithTheWrongRoleIsRefusedByTheBean() {
        assertAccessRefused(assertThrows(Exception.class, () -> insurer.call(() -> kgc.registration("p-nobody"))));
        assertAccessRefused(assertThrows(Exception.class,
                () -> insurer.call(() -> kgc.registerPatient("p-nobody", new byte[32], "insurer"))));
    }

    @Test
    void aCallerWithTheRightRoleReachesTheBeansLogic() throws Exception {
        // the role check passes; the bean's own answer follows (no such registration)
        DomainException e = assertThrows(DomainException.class, () -> operator.call(() -> kgc.registration("p-nobody")));
        assertEquals("NOT_REGISTERED", e.code());
        assertTrue(kgc.publicKey().encoded().length > 0, "the public key stays public");
    }
}
