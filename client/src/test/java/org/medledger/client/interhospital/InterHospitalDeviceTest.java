package org.medledger.client.interhospital;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.client.emrauth.DeviceStore;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.InMemoryPartyDirectory;
import org.medledger.protocol.common.KeyCertifier;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.SigningKey;
import org.medledger.protocol.common.TrustContext;
import org.medledger.protocol.interhospital.BlockchainCenter;
import org.medledger.protocol.interhospital.MedicalIndexEntry;
import org.medledger.protocol.interhospital.Patient;
import org.medledger.protocol.interhospital.RegistrationOutcome;

/** The patient's INTER-HOSPITAL state on the device: what was stored opens as a registered patient again. */
class InterHospitalDeviceTest {

    @TempDir
    Path dir;

    @Test
    void aRegisteredPatientReopensFromTheDeviceStore() throws Exception {
        CurveProfile curve = CurveProfile.p256();
        SecureRandom random = new SecureRandom();
        Environment env = Environment.of(curve, Clock.systemUTC(), random);
        KeyCertifier certifier = new KeyCertifier(SigningKey.generate(curve, random), Clock.systemUTC(), Duration.ofDays(1));
        BlockchainCenter center = new BlockchainCenter(env, MasterSecret.generate(curve, random), certifier);
        InMemoryPartyDirectory directory = new InMemoryPartyDirectory();
        TrustContext trust = new TrustContext(center.publicKey(), certifier.verificationKey(), directory, (c, id) -> { });
        PartyKeys keys = PartyKeys.generate(curve, random);
        Patient p = new Patient(env, trust, keys, "pat-1", q -> true);
        RegistrationOutcome o = center.register(p.registrationRequest("patient"));
        p.acceptRegistration(o.grant());
        DeviceStore store = DeviceStore.open(dir.resolve("pat-1.p12"), "pw".toCharArray());
        InterHospitalDevice.save(store, keys, o.grant(), center.publicKey(), certifier.verificationKey(), curve);
        InterHospitalDevice.saveIndex(store, List.of(new MedicalIndexEntry("hpa", "DX-1")));

        DeviceStore again = DeviceStore.open(dir.resolve("pat-1.p12"), "pw".toCharArray());
        assertTrue(InterHospitalDevice.registered(again));
        InterHospitalDevice.Pinned pinned = InterHospitalDevice.pinned(again, curve);
        assertEquals(center.publicKey(), pinned.pk());
        Patient reopened = new Patient(env, new TrustContext(pinned.pk(), pinned.certifierKey(), directory, (c, id) -> { }),
                InterHospitalDevice.keys(again, curve), "pat-1", q -> true);
        // S_PAT·P == R_PAT + H1(ID_PAT, R_PAT)·PK holds again for what the device kept
        reopened.acceptRegistration(InterHospitalDevice.grant(again, curve));
        assertEquals(keys.signingPublic(), reopened.keys().signingPublic());
        assertEquals(List.of(new MedicalIndexEntry("hpa", "DX-1")), InterHospitalDevice.index(again));
    }
}
