package org.medledger.protocol.emrauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.CertificateVerifier;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SecretScalar;
import org.medledger.protocol.testkit.Fixtures;

class EmrAuthRegistrationTest {

    private final Environment env = Fixtures.env(11, Fixtures.clockAt(Fixtures.NOW));
    private final CurveProfile curve = env.curve();
    private final MasterSecret master = MasterSecret.generate(curve, Fixtures.seededRandom(12));
    private final byte[] certD = "doctor-cert-der".getBytes(StandardCharsets.UTF_8);
    private final CertificateVerifier acceptsDoctor = (cert, id) -> {
        if (!id.equals("D-1") || !java.util.Arrays.equals(cert, certD)) {
            throw new ProtocolException(Reason.CERT_INVALID, "not legal");
        }
    };
    private final PublicCloud pc = new PublicCloud(env, master, acceptsDoctor);

    private PatientDevice patient() {
        return new PatientDevice(env, pc.masterPublicKey(), "P-1", SecretBytes.copyOf(new byte[] {1, 2, 3, 4}));
    }

    @Test
    void honestPatientRegistrationSatisfiesEq4() throws ProtocolException {
        PatientDevice p = patient();
        RegistrationResponse resp = pc.registerPatient(p.registrationRequest());
        p.acceptRegistration(resp);
        assertTrue(p.isRegistered());
        // S_P·P = R_P1 + H(ID_P‖B_P‖R_P1)·PK, computed independently with plain multiplications.
        BigInteger h = EmrAuthHashes.patient(curve, "P-1", SecretBytes.copyOf(new byte[] {1, 2, 3, 4}), resp.r());
        ECPoint lhs = curve.generator().multiply(resp.s().reveal()).normalize();
        ECPoint rhs = resp.r().add(pc.masterPublicKey().point().multiply(h)).normalize();
        assertEquals(lhs, rhs);
    }

    @Test
    void tamperedSpIsRejectedAsBadPartialKey() throws ProtocolException {
        PatientDevice p = patient();
        RegistrationResponse resp = pc.registerPatient(p.registrationRequest());
        SecretScalar tampered = SecretScalar.of(curve, resp.s().reveal().add(BigInteger.ONE).mod(curve.order()));
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> p.acceptRegistration(new RegistrationResponse(resp.r(), tampered)));
        assertEquals(Reason.BAD_PARTIAL_KEY, e.reason());
        assertFalse(p.isRegistered());
    }

    @Test
    void tamperedRp1IsRejectedAsBadPartialKey() {
        PatientDevice p = patient();
        RegistrationResponse resp = pc.registerPatient(p.registrationRequest());
        ECPoint otherR = resp.r().add(curve.generator()).normalize();
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> p.acceptRegistration(new RegistrationResponse(otherR, resp.s())));
        assertEquals(Reason.BAD_PARTIAL_KEY, e.reason());
    }

    @Test
    void partialKeyIssuedForAnotherPatientIsRejected() {
        PatientDevice p = patient();
        PatientDevice other = new PatientDevice(env, pc.masterPublicKey(), "P-2", SecretBytes.copyOf(new byte[] {1, 2, 3, 4}));
        RegistrationResponse forOther = pc.registerPatient(other.registrationRequest());
        assertEquals(Reason.BAD_PARTIAL_KEY, assertThrows(ProtocolException.class, () -> p.acceptRegistration(forOther)).reason());
    }

    @Test
    void partialKeyFromAnotherKgcIsRejected() {
        PatientDevice p = patient();
        PublicCloud rogue = new PublicCloud(env, MasterSecret.generate(curve, Fixtures.seededRandom(99)), acceptsDoctor);
        RegistrationResponse resp = rogue.registerPatient(p.registrationRequest());
        assertEquals(Reason.BAD_PARTIAL_KEY, assertThrows(ProtocolException.class, () -> p.acceptRegistration(resp)).reason());
    }

    @Test
    void responseSurvivesTheWireFieldByFieldAndAsOneMessage() throws ProtocolException {
        PatientDevice p = patient();
        RegistrationResponse resp = pc.registerPatient(p.registrationRequest());
        assertEquals(33, resp.encodedR().length);
        assertEquals(32, resp.encodedS().length);
        RegistrationResponse viaFields = RegistrationResponse.fromFields(curve, resp.encodedR(), resp.encodedS());
        RegistrationResponse viaMessage = RegistrationResponse.decode(curve, resp.encode());
        p.acceptRegistration(viaFields);
        patient().acceptRegistration(viaMessage);
        assertFalse(resp.toString().contains(org.bouncycastle.util.encoders.Hex.toHexString(resp.encodedS())));
    }

    @Test
    void registrationRequestRoundTrips() throws ProtocolException {
        PatientRegistration req = patient().registrationRequest();
        PatientRegistration back = PatientRegistration.decode(req.encode());
        assertEquals(req.idP(), back.idP());
        assertEquals(req.bP(), back.bP());
        byte[] trailing = java.util.Arrays.copyOf(req.encode(), req.encode().length + 1);
        assertEquals(Reason.MALFORMED_MESSAGE, assertThrows(ProtocolException.class, () -> PatientRegistration.decode(trailing)).reason());
    }

    @Test
    void hospitalCloudRegistrationSatisfiesEq7AndRejectsTampering() throws ProtocolException {
        HospitalPrivateCloud hpc = new HospitalPrivateCloud(env, pc.masterPublicKey(), "HPC-1");
        RegistrationResponse resp = pc.registerHospitalCloud(hpc.registrationRequest());
        HospitalPrivateCloud impostor = new HospitalPrivateCloud(env, pc.masterPublicKey(), "HPC-2");
        assertEquals(Reason.BAD_PARTIAL_KEY, assertThrows(ProtocolException.class, () -> impostor.acceptRegistration(resp)).reason());
        hpc.acceptRegistration(resp);
        assertTrue(hpc.isRegistered());
    }

    @Test
    void doctorRegistrationSatisfiesEq10() throws ProtocolException {
        Doctor d = new Doctor(env, pc.masterPublicKey(), "D-1", certD);
        d.acceptRegistration(pc.registerDoctor(d.registrationRequest()));
        assertTrue(d.isRegistered());
    }

    /** Eq. 10, S_D·P == R_D1 + H(ID_D‖Cert_D‖R_D1)·PK: every input of it tampered, one at a time. */
    @Test
    void tamperedDoctorRegistrationFailsEq10() throws ProtocolException {
        Doctor d = new Doctor(env, pc.masterPublicKey(), "D-1", certD);
        RegistrationResponse resp = pc.registerDoctor(d.registrationRequest());
        SecretScalar otherS = SecretScalar.of(curve, resp.s().reveal().add(BigInteger.ONE).mod(curve.order()));
        assertEquals(Reason.BAD_PARTIAL_KEY, assertThrows(ProtocolException.class,
                () -> d.acceptRegistration(new RegistrationResponse(resp.r(), otherS))).reason());
        ECPoint otherR = resp.r().add(curve.generator()).normalize();
        assertEquals(Reason.BAD_PARTIAL_KEY, assertThrows(ProtocolException.class,
                () -> d.acceptRegistration(new RegistrationResponse(otherR, resp.s()))).reason());
        // the same (R_D1, S_D) for another certificate of the same doctor: H(ID_D‖Cert_D‖R_D1) differs
        Doctor otherCert = new Doctor(env, pc.masterPublicKey(), "D-1", "another-cert-der".getBytes(StandardCharsets.UTF_8));
        assertEquals(Reason.BAD_PARTIAL_KEY, assertThrows(ProtocolException.class, () -> otherCert.acceptRegistration(resp)).reason());
        // ... or for another doctor id with the same certificate bytes
        Doctor otherId = new Doctor(env, pc.masterPublicKey(), "D-2", certD);
        assertEquals(Reason.BAD_PARTIAL_KEY, assertThrows(ProtocolException.class, () -> otherId.acceptRegistration(resp)).reason());
        // ... or from another KGC
        PublicCloud rogue = new PublicCloud(env, MasterSecret.generate(curve, Fixtures.seededRandom(98)), acceptsDoctor);
        assertEquals(Reason.BAD_PARTIAL_KEY, assertThrows(ProtocolException.class,
                () -> d.acceptRegistration(rogue.registerDoctor(d.registrationRequest()))).reason());
        assertFalse(d.isRegistered());
        d.acceptRegistration(resp);
        assertTrue(d.isRegistered());
    }

    @Test
    void doctorWithIllegalCertificateIsNotRegistered() {
        Doctor d = new Doctor(env, pc.masterPublicKey(), "D-1", "forged".getBytes(StandardCharsets.UTF_8));
        ProtocolException e = assertThrows(ProtocolException.class, () -> pc.registerDoctor(d.registrationRequest()));
        assertEquals(Reason.CERT_INVALID, e.reason());
    }

    @Test
    void registrationWorksOnP384() throws ProtocolException {
        Environment env384 = Environment.of(CurveProfile.p384(), Fixtures.clockAt(Fixtures.NOW), Fixtures.seededRandom(13));
        PublicCloud pc384 = new PublicCloud(env384, MasterSecret.generate(CurveProfile.p384(), Fixtures.seededRandom(14)), acceptsDoctor);
        PatientDevice p = new PatientDevice(env384, pc384.masterPublicKey(), "P-1", SecretBytes.copyOf(new byte[] {1}));
        RegistrationResponse resp = pc384.registerPatient(p.registrationRequest());
        assertEquals(49, resp.encodedR().length);
        assertEquals(48, resp.encodedS().length);
        p.acceptRegistration(RegistrationResponse.fromFields(CurveProfile.p384(), resp.encodedR(), resp.encodedS()));
        assertTrue(p.isRegistered());
        // a P-256 response does not fit a P-384 device
        assertEquals(Reason.BAD_POINT, assertThrows(ProtocolException.class,
                () -> RegistrationResponse.fromFields(CurveProfile.p384(), new byte[33], new byte[48])).reason());
    }

    @Test
    void responseWithBadPointIsRejectedBeforeUse() {
        byte[] badR = new byte[33];
        java.util.Arrays.fill(badR, (byte) 0xff);
        badR[0] = 0x02; // x >= p
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> RegistrationResponse.fromFields(curve, badR, new byte[32]));
        assertEquals(Reason.BAD_POINT, e.reason());
    }
}
