package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBAccessException;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.Testable;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medledger.it.roles.AsInsurer;
import org.medledger.it.roles.AsOperator;
import org.medledger.consensus.LedgerNode;
import org.medledger.kgc.boundary.KgcRegistrationService;
import org.medledger.ledger.member.Role;
import org.medledger.platform.DomainException;

/**
 * A second front end inside the EAR (this test's own web module, not secured by OIDC) calls the
 * KGC bean and the ledger node directly: the bean's own role checks refuse an anonymous caller and a caller running
 * as the wrong role, and let a caller with the right role through to the bean's logic.
 */
@ExtendWith(ArquillianExtension.class)
class EjbRolesIT {

    @Deployment
    static EnterpriseArchive deployment() {
        EnterpriseArchive ear = Deployments.medledgerEar();
        // the front end's beans in an EJB module of their own (a web module that also held
        // security-annotated beans would get a second security domain for its class loader)
        JavaArchive beans = ShrinkWrap.create(JavaArchive.class, "medledger-ejb-roles-it-beans.jar")
                .addClasses(AsInsurer.class, AsOperator.class);
        WebArchive frontEnd = ShrinkWrap.create(WebArchive.class, "medledger-ejb-roles-it.war")
                .addClasses(EjbRolesIT.class);
        String xml = new String(readAll(ear.get("META-INF/application.xml").getAsset()),
                java.nio.charset.StandardCharsets.UTF_8);
        ear.addAsModule(beans);
        // the servlet protocol enriches this module, not the EAR's own web modules
        ear.addAsModule(Testable.archiveToTest(frontEnd));
        ear.setApplicationXML(new StringAsset(xml.replace("<library-directory>",
                "<module><ejb>medledger-ejb-roles-it-beans.jar</ejb></module>\n  "
                        + "<module><web><web-uri>medledger-ejb-roles-it.war</web-uri><context-root>/ejb-roles-it</context-root>"
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

    @EJB(lookup = "java:global/medledger/medledger-ejb/KgcRegistrationService!"
            + "org.medledger.kgc.boundary.KgcRegistrationService")
    KgcRegistrationService kgc;

    @EJB(lookup = "java:global/medledger/medledger-ejb/LedgerNode!org.medledger.consensus.LedgerNode")
    LedgerNode ledger;

    @EJB(lookup = "java:global/medledger/medledger-ejb-roles-it-beans/AsInsurer!org.medledger.it.roles.AsInsurer")
    AsInsurer insurer;

    @EJB(lookup = "java:global/medledger/medledger-ejb-roles-it-beans/AsOperator!org.medledger.it.roles.AsOperator")
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

    @Test
    void theLedgerNodeRefusesWritesByAnonymousCallersAndRolesThatNeverWrite() {
        assertAccessRefused(assertThrows(Exception.class, () -> ledger.submitSigned(null)));
        assertAccessRefused(assertThrows(Exception.class, () -> ledger.revokeMember("dr-nobody")));
        assertAccessRefused(assertThrows(Exception.class,
                () -> ledger.registerMember("dr-nobody", Role.DOCTOR, new byte[33], 0L, 1L, "anonymous")));
        assertAccessRefused(assertThrows(Exception.class, () -> insurer.call(() -> ledger.revokeMember("dr-nobody"))));
        assertAccessRefused(assertThrows(Exception.class,
                () -> insurer.call(() -> ledger.registerMember("dr-nobody", Role.DOCTOR, new byte[33], 0L, 1L, "insurer"))));
    }

    @Test
    void theLedgerNodeServesReadsToEveryoneAndWritesToItsWritingRoles() throws Exception {
        long size = ledger.size();
        assertTrue(size >= 0);
        // the role check passes; the ledger's own answer follows (no such member to revoke) and nothing is appended
        DomainException e = assertThrows(DomainException.class, () -> operator.call(() -> ledger.revokeMember("dr-nobody")));
        assertTrue(e.code().startsWith("LEDGER_"), e.code());
        assertEquals(size, ledger.size(), "a refused revocation appends nothing");
    }
}
