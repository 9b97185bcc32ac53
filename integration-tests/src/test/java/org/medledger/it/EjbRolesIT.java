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
import org.medledger.it.roles.AsRole;
import org.medledger.consensus.LedgerNode;
import org.medledger.emrauth.HospitalCloudService;
import org.medledger.kgc.boundary.KgcRegistrationService;
import org.medledger.kgc.entity.PartialKeyHistory;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.TxBody;
import org.medledger.platform.DomainException;
import org.medledger.protocol.emrauth.EmrAuthRenewal;
import org.medledger.protocol.interhospital.InterHospitalRenewal;

/**
 * A second front end inside the EAR (this test's own web module, not secured by OIDC) calls the
 * KGC bean, the ledger node and the hospital cloud bean directly: the beans' own role checks refuse
 * an anonymous caller and a caller running as the wrong role, and let a caller with the right role
 * through to the bean's logic.
 */
@ExtendWith(ArquillianExtension.class)
class EjbRolesIT {

    @Deployment
    static EnterpriseArchive deployment() {
        EnterpriseArchive ear = Deployments.medledgerEar();
        // the front end's beans in an EJB module of their own (a web module that also held
        // security-annotated beans would get a second security domain for its class loader)
        JavaArchive beans = ShrinkWrap.create(JavaArchive.class, "medledger-ejb-roles-it-beans.jar")
                .addClasses(AsRole.class).addAsManifestResource(new StringAsset(AsRole.descriptor()), "ejb-jar.xml");
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

    @EJB(lookup = "java:global/medledger/medledger-ejb/HospitalCloudService!org.medledger.emrauth.HospitalCloudService")
    HospitalCloudService hospitals;

    @EJB(lookup = "java:global/medledger/medledger-ejb/PartialKeyHistory!org.medledger.kgc.entity.PartialKeyHistory")
    PartialKeyHistory partialKeys;

    @EJB(lookup = "java:global/medledger/medledger-ejb-roles-it-beans/AsInsurer!org.medledger.it.roles.AsRole")
    AsRole insurer;

    @EJB(lookup = "java:global/medledger/medledger-ejb-roles-it-beans/AsOperator!org.medledger.it.roles.AsRole")
    AsRole operator;

    @EJB(lookup = "java:global/medledger/medledger-ejb-roles-it-beans/AsHospitalAdmin!org.medledger.it.roles.AsRole")
    AsRole hospitalAdmin;

    @EJB(lookup = "java:global/medledger/medledger-ejb-roles-it-beans/AsPatient!org.medledger.it.roles.AsRole")
    AsRole patient;

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
        assertEquals("LEDGER_NOT_FOUND", e.code());
        assertEquals(DomainException.Kind.NOT_FOUND, e.kind(), "a refusal of the caller's input is not 'unavailable'");
        assertEquals(size, ledger.size(), "a refused revocation appends nothing");
    }

    @Test
    void theKgcSubmitsAndEndorsesOnlyForTheRolesWhoseServicesAskIt() throws Exception {
        long size = ledger.size();
        Arguments none = Arguments.builder().build();
        assertAccessRefused(assertThrows(Exception.class, () -> ledger.submitAsKgc("member", "revoke", none)));
        assertAccessRefused(assertThrows(Exception.class, () -> insurer.call(() -> ledger.submitAsKgc("member", "revoke", none))));
        // the KGC operator submits master key rotations through their own method and nothing else as the KGC
        assertAccessRefused(assertThrows(Exception.class, () -> operator.call(() -> ledger.submitAsKgc("member", "revoke", none))));
        assertAccessRefused(assertThrows(Exception.class, () -> ledger.submitKgcMasterRotation("a", "b", new byte[33], "x")));
        assertAccessRefused(assertThrows(Exception.class,
                () -> patient.call(() -> ledger.submitKgcMasterRotation("a", "b", new byte[33], "patient"))));
        assertAccessRefused(assertThrows(Exception.class,
                () -> hospitalAdmin.call(() -> ledger.submitKgcMasterRotation("a", "b", new byte[33], "hospital-admin"))));
        // the operator's call passes the role check and gets the ledger's answer (a new key id must be new)
        DomainException byOperator = assertThrows(DomainException.class,
                () -> operator.call(() -> ledger.submitKgcMasterRotation("same", "same", new byte[33], "kgc-operator")));
        assertEquals("LEDGER_MALFORMED", byOperator.code());
        // a partial key renewal is the renewal bean's (which checks the party's proof), never the operator's
        assertAccessRefused(assertThrows(Exception.class,
                () -> operator.call(() -> ledger.submitPartialKeyRenewal("emr-auth/patient/x", "a", "b", new byte[33], "x"))));
        assertAccessRefused(assertThrows(Exception.class, () -> ledger.submitEndorsedByKgc(null)));
        assertAccessRefused(assertThrows(Exception.class, () -> hospitalAdmin.call(() -> ledger.submitEndorsedByKgc(null))));
        // the honest roles pass; the ledger's own answer follows, as the caller's error, and nothing is appended
        DomainException unknown = assertThrows(DomainException.class,
                () -> patient.call(() -> ledger.submitAsKgc("no-such-contract", "none", none)));
        assertEquals("LEDGER_UNKNOWN_CONTRACT", unknown.code());
        assertEquals(DomainException.Kind.INVALID, unknown.kind());
        org.medledger.ledger.tx.Transaction stranger = new TxBody("not-a-member", "member", "revoke",
                Arguments.builder().put("memberId", "dr-nobody").build(), System.currentTimeMillis(), 1L)
                .sign(P256SignatureScheme.fromSeed("EjbRolesIT stranger".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        DomainException notMember = assertThrows(DomainException.class, () -> patient.call(() -> ledger.submitEndorsedByKgc(stranger)));
        assertTrue(notMember.kind() != DomainException.Kind.UNAVAILABLE, notMember.code() + " " + notMember.kind());
        assertEquals(size, ledger.size(), "a refused submission appends nothing");
    }

    @Test
    void aHospitalCloudIsRegisteredOnlyByAnAdministratorNamingItself() throws Exception {
        long size = ledger.size();
        assertAccessRefused(assertThrows(Exception.class, () -> hospitals.register("hpc-roles-it", "anonymous")));
        assertAccessRefused(assertThrows(Exception.class, () -> insurer.call(() -> hospitals.register("hpc-roles-it", "insurer"))));
        assertAccessRefused(assertThrows(Exception.class,
                () -> operator.call(() -> hospitals.register("hpc-roles-it", "kgc-operator"))));
        assertAccessRefused(assertThrows(Exception.class, () -> insurer.call(() -> hospitals.revokeMembership("hpc-roles-it", "x"))));
        assertAccessRefused(assertThrows(Exception.class,
                () -> patient.call(() -> hospitals.storeVersion("hpc-roles-it", null, "patient"))));
        // the administrator's role passes; the bean records only the caller itself, never a name it is handed
        DomainException e = assertThrows(DomainException.class,
                () -> hospitalAdmin.call(() -> hospitals.register("hpc-roles-it", "someone-else")));
        assertEquals("NOT_OWN_IDENTITY", e.code());
        // the bean's other methods stay open to the beans that call them
        assertTrue(!hospitals.isRegistered("hpc-roles-it"));
        assertEquals(size, ledger.size(), "refused registrations append nothing");
    }

    @Test
    void thePartialKeyHistoryServesExactlyTheRolesOfTheBeansThatCallIt() throws Exception {
        var hospital = InterHospitalRenewal.HOSPITAL;
        String id = "hpx.roles-it";
        assertAccessRefused(assertThrows(Exception.class, () -> partialKeys.superseded(hospital, id)));
        assertAccessRefused(assertThrows(Exception.class, () -> partialKeys.renewedTo(hospital, id)));
        assertAccessRefused(assertThrows(Exception.class,
                () -> partialKeys.recordSuperseded(hospital, id, "k1", "r", "k2", "anonymous", 1L)));
        assertAccessRefused(assertThrows(Exception.class, () -> insurer.call(() -> partialKeys.superseded(hospital, id))));
        // the KGC operator reads a party's history (the state pages) and never writes it
        assertEquals(java.util.List.of(), operator.call(() -> partialKeys.superseded(hospital, id)));
        assertAccessRefused(assertThrows(Exception.class, () -> operator.call(() -> {
            partialKeys.recordLedgerIndex(hospital, id, "k1", 7L);
            return null;
        })));
        // an EMR-AUTH registration row is renewed by its patient or doctor only, never by a hospital administrator
        assertAccessRefused(assertThrows(Exception.class, () -> hospitalAdmin.call(() ->
                partialKeys.renew(EmrAuthRenewal.PATIENT, "p-roles-it", "k1", "r", "k2", "r2", "hospital-admin", 1L))));
        assertEquals(java.util.Optional.empty(), hospitalAdmin.call(() -> partialKeys.renewedTo(hospital, id)));
        assertEquals(false, patient.call(() -> partialKeys.renew(EmrAuthRenewal.PATIENT, "p-roles-it", "k1", "r", "k2", "r2",
                "p-roles-it", 1L)), "no such registration row: nothing renewed");
    }
}
