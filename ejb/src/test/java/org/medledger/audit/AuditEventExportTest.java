package org.medledger.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;

import java.security.SecureRandom;
import java.util.HexFormat;

import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.crypto.Signer;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;
import org.medledger.ledger.tx.TxBody;

/** Ledger entries as IHE BALP AuditEvents: what a SIEM reads from each kind of entry. */
class AuditEventExportTest {

    private static final Signer HOLDER = P256SignatureScheme.generate(new SecureRandom());

    private static Transaction tx(String contract, String function, Arguments args) {
        return new TxBody("hospital-a", contract, function, args, 1_700_000_000_000L, 7).sign(HOLDER);
    }

    private static Arguments access(String outcome, String reason) {
        return Arguments.builder().put("scheme", "EMR-AUTH").put("holderId", "hospital-a").put("patientId", "p-1")
                .put("accessorId", "dr-1").put("outcome", outcome).put("reason", reason).put("at", 1_700_000_100_000L)
                .build();
    }

    @Test
    void aReleasedAccessIsASuccessfulPatientReadNamingPatientDoctorAndHospital() {
        Transaction t = tx("access", "record", access("released", "CONSENTED"));
        AuditEvent e = AuditEventExport.event("producer-test", 12, t);
        assertEquals(AuditEventExport.BALP + "IHE.BasicAudit.PatientRead", e.getMeta().getProfile().get(0).getValue());
        assertEquals(AuditEvent.AuditEventAction.R, e.getAction());
        assertEquals("read", e.getSubtypeFirstRep().getCode());
        assertEquals(AuditEvent.AuditEventOutcome._0, e.getOutcome());
        assertEquals(1_700_000_100_000L, e.getRecorded().getTime());
        assertEquals("dr-1", e.getAgent().stream().filter(AuditEvent.AuditEventAgentComponent::getRequestor)
                .findFirst().orElseThrow().getWho().getIdentifier().getValue());
        assertTrue(e.getEntity().stream().anyMatch(x -> "Patient".equals(x.getRole().getDisplay())
                && "p-1".equals(x.getWhat().getIdentifier().getValue())));
        assertTrue(e.getEntity().stream().anyMatch(x -> "12".equals(x.getWhat().getIdentifier().getValue())
                && HexFormat.of().formatHex(t.id().bytes()).equals(x.getDetailFirstRep().getValueStringType().getValue())));
    }

    @Test
    void aRefusedAccessIsAMinorFailureWithItsReason() {
        AuditEvent e = AuditEventExport.event("producer-test", 3, tx("access", "record", access("refused", "NO_CONSENT")));
        assertEquals(AuditEvent.AuditEventOutcome._4, e.getOutcome());
        assertEquals("NO_CONSENT", e.getOutcomeDesc());
    }

    @Test
    void membershipEntriesAreCreatesAndUpdatesOfTheMember() {
        Signer kgc = P256SignatureScheme.generate(new SecureRandom());
        MemberCertificate cert = MemberCertificate.issue(kgc, "dr-9", Role.DOCTOR,
                P256SignatureScheme.generate(new SecureRandom()).publicKey(), 0, Long.MAX_VALUE);
        AuditEvent reg = AuditEventExport.event("producer-test", 0, tx("member", "register",
                Arguments.builder().put("certificate", cert.encode()).build()));
        assertEquals(AuditEvent.AuditEventAction.C, reg.getAction());
        assertTrue(reg.getEntity().stream().anyMatch(x -> "dr-9".equals(x.getWhat().getIdentifier().getValue())));
        AuditEvent rev = AuditEventExport.event("producer-test", 1, tx("member", "revoke", Arguments.builder().put("memberId", "dr-9").build()));
        assertEquals(AuditEvent.AuditEventAction.U, rev.getAction());
        assertEquals(AuditEventExport.BALP + "IHE.BasicAudit.Update", rev.getMeta().getProfile().get(0).getValue());
    }

    @Test
    void theEventsAreValidFhirJsonThatParsesBack() {
        AuditEvent e = AuditEventExport.event("producer-test", 5, tx("access", "record", access("released", "CONSENTED")));
        FhirContext fhir = FhirContext.forR4Cached();
        String json = fhir.newJsonParser().encodeResourceToString(e);
        AuditEvent back = fhir.newJsonParser().parseResource(AuditEvent.class, json);
        assertEquals("AuditEvent", back.fhirType());
        assertEquals(e.getOutcome(), back.getOutcome());
        assertFalse(json.contains("\"signature\""), "no signature bytes in the SIEM copy");
    }
}
