package org.medledger.doctorcustody;

import java.nio.charset.StandardCharsets;
import java.util.Date;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.medledger.platform.DomainException;

/**
 * A doctor's diagnosis as FHIR R4: a {@code Condition} (clinical status active, verification
 * confirmed, the diagnosis as the code's text, the doctor as recorder, recorded now) added to the
 * patient's current record, or the first record of a {@code Bundle} with the patient and it.
 */
final class DiagnosisRecords {

    private static final FhirContext R4 = FhirContext.forR4Cached();

    private DiagnosisRecords() {
    }

    static byte[] withDiagnosis(byte[] current, String patientId, String doctorId, String diagnosis) throws DomainException {
        IParser parser = R4.newJsonParser();
        Bundle bundle;
        if (current == null) {
            bundle = new Bundle();
            bundle.setType(Bundle.BundleType.COLLECTION);
            Patient p = new Patient();
            p.setId(patientId);
            p.addIdentifier(new Identifier().setSystem("urn:medledger:patient").setValue(patientId));
            bundle.addEntry().setResource(p);
        } else {
            IBaseResource r;
            try {
                r = parser.parseResource(new String(current, StandardCharsets.UTF_8));
            } catch (DataFormatException e) {
                throw new DomainException(DomainException.Kind.UNAVAILABLE, "INVALID_FHIR", "the current record does not parse");
            }
            if (r instanceof Bundle b) {
                bundle = b;
            } else {
                bundle = new Bundle();
                bundle.setType(Bundle.BundleType.COLLECTION);
                bundle.addEntry().setResource((Resource) r);
            }
        }
        Condition c = new Condition();
        c.setId("dx-" + Long.toString(System.currentTimeMillis(), 36));
        c.setClinicalStatus(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active")));
        c.setVerificationStatus(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", "Confirmed")));
        c.setCode(new CodeableConcept().setText(diagnosis));
        c.setSubject(new Reference("Patient/" + patientId));
        c.setRecorder(new Reference().setDisplay(doctorId));
        c.setRecordedDate(new Date());
        bundle.addEntry().setResource(c);
        return parser.encodeResourceToString(bundle).getBytes(StandardCharsets.UTF_8);
    }

    static int resources(byte[] content) {
        return ((Bundle) R4.newJsonParser().parseResource(new String(content, StandardCharsets.UTF_8))).getEntry().size();
    }
}
