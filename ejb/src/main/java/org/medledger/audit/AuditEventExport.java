package org.medledger.audit;

import ca.uhn.fhir.context.FhirContext;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import java.util.Date;
import java.util.HexFormat;

import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.medledger.consensus.LedgerNode;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;

/**
 * The ledger's entries as FHIR R4 {@code AuditEvent} resources following IHE Basic Audit Log
 * Patterns (BALP), for a hospital's SIEM: a record access becomes a BALP patient read (released:
 * outcome 0; refused: outcome 4 with the reason), a membership registration a create, a
 * revocation an update, anything else a BALP basic audit event. Every event names its ledger
 * position and transaction id, so the SIEM's copy can be held against the ledger.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class AuditEventExport {

    static final String BALP = "https://profiles.ihe.net/ITI/BALP/StructureDefinition/";
    static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    static final String EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    static final String INTERACTION = "http://hl7.org/fhir/restful-interaction";
    static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
    static final String SOURCE_TYPE = "http://terminology.hl7.org/CodeSystem/security-source-type";
    static final String LEDGER_SYSTEM = "urn:medledger:ledger:log-index";
    static final String TX_SYSTEM = "urn:medledger:ledger:tx-id";
    static final String PARTY_SYSTEM = "urn:medledger:party";

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @EJB
    LedgerAudit audit;

    @EJB
    LedgerNode node;

    /** Every ledger entry (at most {@link LedgerAudit#ACTIVITY_LIMIT}) as one FHIR JSON {@code Bundle} of type collection. */
    @RolesAllowed("auditor")
    public String bundleJson() {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION).setTimestamp(new Date());
        String site = node.producerId();
        audit.scan((index, tx) -> bundle.addEntry().setResource(event(site, index, tx)));
        return FHIR.newJsonParser().setPrettyPrint(false).encodeResourceToString(bundle);
    }

    /** {@code site}: the ledger node (block producer) that recorded the entry. */
    static AuditEvent event(String site, long logIndex, Transaction tx) {
        String op = tx.body().contract() + "." + tx.body().function();
        AuditEvent e = new AuditEvent();
        e.setId("ledger-" + logIndex);
        e.setRecorded(new Date(tx.body().timestamp()));
        e.getSource().setSite(site)
                .setObserver(new Reference().setDisplay("MedLedger ledger node " + site))
                .addType(new Coding(SOURCE_TYPE, "4", "Application Server"));
        e.setType(new Coding(EVENT_TYPE, "rest", "Restful Operation"));
        Arguments a = tx.body().args();
        switch (op) {
            case "access.record" -> access(e, a);
            case "member.register" -> member(e, a, "create", AuditEvent.AuditEventAction.C, "IHE.BasicAudit.Create");
            case "member.revoke" -> member(e, a, "update", AuditEvent.AuditEventAction.U, "IHE.BasicAudit.Update");
            default -> {
                e.getMeta().addProfile(BALP + "IHE.BasicAudit");
                e.addSubtype(new Coding(INTERACTION, "create", "create"));
                e.setAction(AuditEvent.AuditEventAction.C);
                e.setOutcome(AuditEvent.AuditEventOutcome._0);
            }
        }
        if (!op.equals("access.record")) {
            e.addAgent().setRequestor(true)
                    .setType(new org.hl7.fhir.r4.model.CodeableConcept(new Coding(DCM, "110153", "Source Role ID")))
                    .setWho(party(tx.body().submitter()));
        }
        e.addEntity().setType(new Coding(ENTITY_TYPE, "2", "System Object"))
                .setWhat(new Reference().setIdentifier(new Identifier().setSystem(LEDGER_SYSTEM)
                        .setValue(Long.toString(logIndex))))
                .setDescription(op)
                .addDetail().setType(TX_SYSTEM).setValue(new org.hl7.fhir.r4.model.StringType(
                        HexFormat.of().formatHex(tx.id().bytes())));
        return e;
    }

    private static void access(AuditEvent e, Arguments a) {
        e.getMeta().addProfile(BALP + "IHE.BasicAudit.PatientRead");
        e.addSubtype(new Coding(INTERACTION, "read", "read"));
        e.setAction(AuditEvent.AuditEventAction.R);
        e.setRecorded(new Date(a.number("at")));
        boolean released = "released".equals(a.string("outcome"));
        e.setOutcome(released ? AuditEvent.AuditEventOutcome._0 : AuditEvent.AuditEventOutcome._4);
        e.setOutcomeDesc(a.string("reason"));
        e.addAgent().setRequestor(true)
                .setType(new org.hl7.fhir.r4.model.CodeableConcept(new Coding(
                        "http://terminology.hl7.org/CodeSystem/extra-security-role-type", "humanuser", "human user")))
                .setWho(party(a.string("accessorId")));
        e.addAgent().setRequestor(false)
                .setType(new org.hl7.fhir.r4.model.CodeableConcept(new Coding(DCM, "110152", "Destination Role ID")))
                .setWho(party(a.string("holderId")));
        e.addEntity().setType(new Coding(ENTITY_TYPE, "1", "Person")).setRole(new Coding(OBJECT_ROLE, "1", "Patient"))
                .setWhat(party(a.string("patientId")));
        e.addPurposeOfEvent(new org.hl7.fhir.r4.model.CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/v3-ActReason", "TREAT", "treatment")));
        e.getSource().setSite(a.string("holderId"));
        String scheme = a.optionalString("scheme").orElse("");
        if (!scheme.isEmpty()) {
            e.getEntity().get(e.getEntity().size() - 1).setDescription("scheme " + scheme);
        }
    }

    private static void member(AuditEvent e, Arguments a, String interaction, AuditEvent.AuditEventAction action,
                               String profile) {
        e.getMeta().addProfile(BALP + profile);
        e.addSubtype(new Coding(INTERACTION, interaction, interaction));
        e.setAction(action);
        e.setOutcome(AuditEvent.AuditEventOutcome._0);
        String member = a.optionalString("memberId").orElseGet(() -> {
            try {
                return MemberCertificate.decode(a.bytes("certificate")).memberId();
            } catch (RuntimeException ex) {
                return null;
            }
        });
        java.util.Optional.ofNullable(member).ifPresent(m -> e.addEntity().setType(new Coding(ENTITY_TYPE, "2", "System Object"))
                .setRole(new Coding(OBJECT_ROLE, "4", "Domain Resource")).setWhat(party(m)).setDescription("ledger member"));
    }

    private static Reference party(String id) {
        return new Reference().setIdentifier(new Identifier().setSystem(PARTY_SYSTEM).setValue(id)).setDisplay(id);
    }
}
