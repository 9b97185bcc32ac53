package org.medledger.doctorcustody;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.medledger.custody.KeyEntry;
import org.medledger.emrauth.FhirRecords;
import org.medledger.platform.DomainException;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretScalar;

class DiagnosisRecordsTest {

    private static final String RECORD = """
            {"resourceType":"Bundle","type":"collection","entry":[
             {"resource":{"resourceType":"Patient","id":"p-1"}},
             {"resource":{"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p-1"},"code":{"text":"Asthma"}}}]}
            """;

    @Test
    void aFirstDiagnosisIsAValidBundleWithThePatientAndTheCondition() throws Exception {
        byte[] v = DiagnosisRecords.withDiagnosis(null, "p-1", "dr-1", "Essential hypertension <b>1</b>");
        assertEquals("Bundle", FhirRecords.requireValid(v));
        assertEquals(2, DiagnosisRecords.resources(v));
        String json = new String(v, StandardCharsets.UTF_8);
        assertTrue(json.contains("\"resourceType\":\"Patient\"") && json.contains("\"text\":\"Essential hypertension <b>1</b>\"")
                && json.contains("\"display\":\"dr-1\"") && json.contains("\"code\":\"confirmed\""), json);
    }

    @Test
    void aDiagnosisIsAddedToTheCurrentRecordKeepingWhatItHolds() throws Exception {
        byte[] v = DiagnosisRecords.withDiagnosis(RECORD.getBytes(StandardCharsets.UTF_8), "p-1", "dr-1", "Pneumonia");
        assertEquals("Bundle", FhirRecords.requireValid(v));
        assertEquals(3, DiagnosisRecords.resources(v));
        String json = new String(v, StandardCharsets.UTF_8);
        assertTrue(json.contains("Asthma") && json.contains("Pneumonia"), json);
    }

    @Test
    void aCurrentRecordThatIsNotFhirIsRefused() {
        DomainException e = assertThrows(DomainException.class,
                () -> DiagnosisRecords.withDiagnosis("{\"hello\":1}".getBytes(StandardCharsets.UTF_8), "p-1", "dr-1", "x"));
        assertEquals("INVALID_FHIR", e.code());
    }

    @Test
    void custodyKeysSurviveTheKeyStoreEncodingAndTamperingIsRefused() throws Exception {
        CurveProfile curve = CurveProfile.p256();
        SecureRandom random = new SecureRandom();
        PartyKeys keys = PartyKeys.generate(curve, random);
        byte[] r = curve.generator().multiply(java.math.BigInteger.TEN).getEncoded(true);
        byte[] cert = {1, 2, 3};
        SecretScalar s = SecretScalar.random(curve, random);
        byte[] sBytes = s.encoded();
        KeyEntry entry = KeyEntry.generated(KeyEntry.DOCTOR_CUSTODY, curve, keys, r, s, cert, random);
        byte[] sessionKey = entry.sessionKey.reveal();
        byte[] encoded = entry.encode();
        KeyEntry back = KeyEntry.decode(KeyEntry.DOCTOR_CUSTODY, curve, encoded);
        assertEquals(keys.signingPublic(), back.party.signingPublic());
        assertEquals(keys.kemPublic(), back.party.kemPublic());
        assertArrayEquals(r, back.partialR);
        assertArrayEquals(sBytes, back.partialS.encoded());
        assertArrayEquals(cert, back.certificate);
        assertArrayEquals(sessionKey, back.sessionKey.reveal());
        assertFalse(back.toString().contains(org.bouncycastle.util.encoders.Hex.toHexString(sBytes)));
        encoded[3] ^= 1;
        assertThrows(ProtocolException.class, () -> KeyEntry.decode(KeyEntry.DOCTOR_CUSTODY, curve, encoded));
    }
}
