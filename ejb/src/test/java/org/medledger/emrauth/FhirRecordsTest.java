package org.medledger.emrauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.medledger.platform.DomainException;

class FhirRecordsTest {

    static final String BUNDLE = """
            {"resourceType":"Bundle","type":"collection","entry":[
             {"resource":{"resourceType":"Patient","id":"p1","name":[{"family":"Doe","given":["Jane"]}],"birthDate":"1980-02-29"}},
             {"resource":{"resourceType":"AllergyIntolerance","id":"a1","patient":{"reference":"Patient/p1"},
               "code":{"coding":[{"system":"http://snomed.info/sct","code":"91936005","display":"Allergy to penicillin"}]}}}]}
            """;

    @Test
    void aValidR4BundleIsAccepted() throws DomainException {
        assertEquals("Bundle", FhirRecords.requireValid(BUNDLE.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void invalidRecordsAreRefused() {
        String[] bad = {
            "not json",
            "{\"resourceType\":\"NoSuchResource\"}",
            "{\"resourceType\":\"Patient\",\"birthDate\":\"yesterday\"}",
            "{\"resourceType\":\"Patient\",\"unknownElement\":1}",
            "{\"resourceType\":\"Patient\",\"active\":\"maybe\"}",
            "[]",
        };
        for (String b : bad) {
            DomainException e = assertThrows(DomainException.class, () -> FhirRecords.requireValid(b.getBytes(StandardCharsets.UTF_8)), b);
            assertEquals("INVALID_FHIR", e.code(), b);
        }
        DomainException e = assertThrows(DomainException.class, () -> FhirRecords.requireValid(new byte[] {(byte) 0xff, 0x7b}));
        assertEquals("INVALID_FHIR", e.code());
    }

    @Test
    void theSameValidBytesAreParsedOnceAndOtherBytesAgain() throws DomainException {
        byte[] v = BUNDLE.replace("Jane", "Joan").getBytes(StandardCharsets.UTF_8);
        long before = FhirRecords.PARSED.sum();
        assertEquals("Bundle", FhirRecords.requireValid(v));
        assertEquals("Bundle", FhirRecords.requireValid(v.clone()));
        assertEquals(before + 1, FhirRecords.PARSED.sum(), "the same bytes are not parsed twice");
        // the remembered record changed: parsed again, and refused
        byte[] broken = BUNDLE.replace("Jane", "Joan").replace("1980-02-29", "yesterday").getBytes(StandardCharsets.UTF_8);
        assertEquals("INVALID_FHIR", assertThrows(DomainException.class, () -> FhirRecords.requireValid(broken)).code());
        assertEquals("INVALID_FHIR", assertThrows(DomainException.class, () -> FhirRecords.requireValid(broken)).code(),
                "a refusal is not remembered as valid");
        assertEquals(before + 3, FhirRecords.PARSED.sum());
    }
}
