package org.medledger.protocol.abe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.pairing.Bls12381;
import org.medledger.protocol.pairing.Bls12381PureJava;
import org.medledger.protocol.pairing.FixedRandom;
import org.medledger.protocol.pairing.PairingGroup;

/**
 * The insurance-claim scenario with the parties on different pairing implementations: the
 * KGC and the hospital on blst, the patient, the endorser and the insurer on pure Java.
 * Everything crosses between them as bytes.
 */
class CrossImplementationScenarioTest {

    private final PairingGroup nativeGroup = Bls12381.get();
    private final PairingGroup javaGroup = Bls12381PureJava.get();
    private final SecureRandom random = FixedRandom.seeded(77);
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-21T15:00:00Z"), ZoneOffset.UTC);

    @Test
    void insuranceClaimWorksAcrossImplementations() throws ProtocolException {
        KeyGenerationCenter kgc = new KeyGenerationCenter(nativeGroup, random);
        PublicParameters ppNative = kgc.publicParameters();
        PublicParameters ppJava = PublicParameters.decode(javaGroup, ppNative.toBytes());
        CombinedScheme javaScheme = new CombinedScheme(ppJava, random);
        CombinedScheme nativeScheme = new CombinedScheme(ppNative, random);

        Patient patient = new Patient(IdentityKey.decode(ppJava, kgc.issueIdentityKey("patient:alice").toBytes()), javaScheme, clock);
        Hospital hospital = new Hospital(kgc.issueIdentityKey("hospital:st-mary"), nativeScheme, clock, random);
        RecordDescriptor descriptor = new RecordDescriptor("emr-7", "patient:alice", "hospital:st-mary", "claim evidence");
        byte[] record = "ICD-10 I21.4; PCI; 3 days inpatient".getBytes(StandardCharsets.UTF_8);

        AuthorizationLetter letter = patient.authorize(descriptor, "insurer AND claims", Duration.ofDays(30));
        RecordSubmission submission = hospital.submit(AuthorizationLetter.decode(nativeGroup, letter.toBytes()), record);
        Endorser endorser = new Endorser(CombinedScheme.forVerification(ppJava), clock);
        EndorsedRecord endorsed = endorser.endorse(letter, RecordSubmission.decode(javaGroup, submission.toBytes()));

        AttributeKey insurerKey = AttributeKey.decode(ppJava, kgc.issueAttributeKey(Set.of("insurer", "claims")).toBytes());
        assertArrayEquals(record, new DataConsumer(insurerKey, javaScheme).open(endorsed));
        AttributeKey salesKey = AttributeKey.decode(ppJava, kgc.issueAttributeKey(Set.of("insurer", "sales")).toBytes());
        assertEquals(Reason.POLICY_NOT_SATISFIED,
                assertThrows(ProtocolException.class, () -> new DataConsumer(salesKey, javaScheme).open(endorsed)).reason());
    }

    @Test
    void pureJavaSchemeRunsOnItsOwn() throws ProtocolException {
        KeyGenerationCenter kgc = new KeyGenerationCenter(javaGroup, random);
        CombinedScheme scheme = new CombinedScheme(kgc.publicParameters(), random);
        var m = scheme.randomMessage();
        PolicyCiphertext ct = scheme.encrypt(AccessPolicy.parse("a AND 2 of (b, c, d)"), m);
        assertEquals(m, scheme.decrypt(kgc.issueAttributeKey(Set.of("a", "c", "d")), ct));
        IbsSignature sig = scheme.sign(kgc.issueIdentityKey("p"), new byte[] {7});
        scheme.verify("p", sig, new byte[] {7});
        assertEquals(Reason.BAD_SIGNATURE,
                assertThrows(ProtocolException.class, () -> scheme.verify("p", sig, new byte[] {8})).reason());
    }
}
