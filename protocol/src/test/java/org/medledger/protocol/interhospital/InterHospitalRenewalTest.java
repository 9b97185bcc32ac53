package org.medledger.protocol.interhospital;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.medledger.protocol.common.ContentId;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.PartialKey;
import org.medledger.protocol.common.PartialKeyRenewal;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.TrustContext;
import org.medledger.protocol.common.VerificationKey;
import org.medledger.protocol.emrauth.EmrAuthRenewal;
import org.medledger.protocol.testkit.Fixtures;

/**
 * The one renewal proof with INTER-HOSPITAL's kinds: only the holder of {@code S_X} issued under a
 * key id proves it (against {@code R_X + H1(ID_X, R_X)·PK_keyId}); scheme, role, id, key id, R and
 * time are all bound; a partial key renewed under the current master key passes eq. 13 again.
 */
class InterHospitalRenewalTest {

    private final InterHospitalWorld w = new InterHospitalWorld();
    private final Instant now = Fixtures.NOW;

    private static void refused(Reason reason, Executable call) {
        assertEquals(reason, assertThrows(ProtocolException.class, call).reason());
    }

    @Test
    void aHospitalProvesItsPartialKeyAndEveryFieldIsBound() throws ProtocolException {
        Hospital h = w.newHospital("H-A");
        PartialKey held = h.partialKey();
        MasterPublicKey pk = w.center.publicKey();
        byte[] proof = PartialKeyRenewal.sign(InterHospitalRenewal.HOSPITAL, held.secret(), "H-A", "k-old", held.publicPoint(), now);
        VerificationKey key = InterHospitalRenewal.key(pk, "H-A", held.publicPoint());
        ContentId id = PartialKeyRenewal.verify(InterHospitalRenewal.HOSPITAL, key, "H-A", "k-old", held.publicPoint(), now, proof, now);
        // the replay identity is the content, the same for another signature over it
        byte[] again = PartialKeyRenewal.sign(InterHospitalRenewal.HOSPITAL, held.secret(), "H-A", "k-old", held.publicPoint(), now);
        assertArrayEquals(id.digest(), PartialKeyRenewal.verify(InterHospitalRenewal.HOSPITAL, key, "H-A", "k-old",
                held.publicPoint(), now, again, now).digest());

        refused(Reason.BAD_SIGNATURE, () -> PartialKeyRenewal.verify(InterHospitalRenewal.PATIENT, key, "H-A", "k-old",
                held.publicPoint(), now, proof, now));
        // the same role name in another scheme is another content
        refused(Reason.BAD_SIGNATURE, () -> PartialKeyRenewal.verify(new PartialKeyRenewal.Kind("EMR-AUTH", "hospital"), key, "H-A",
                "k-old", held.publicPoint(), now, proof, now));
        refused(Reason.BAD_SIGNATURE, () -> PartialKeyRenewal.verify(InterHospitalRenewal.HOSPITAL, key, "H-B", "k-old",
                held.publicPoint(), now, proof, now));
        refused(Reason.BAD_SIGNATURE, () -> PartialKeyRenewal.verify(InterHospitalRenewal.HOSPITAL, key, "H-A", "k-new",
                held.publicPoint(), now, proof, now));
        refused(Reason.BAD_SIGNATURE, () -> PartialKeyRenewal.verify(InterHospitalRenewal.HOSPITAL, key, "H-A", "k-old",
                held.publicPoint(), now.plusSeconds(1), proof, now));
        refused(Reason.STALE_TIMESTAMP, () -> PartialKeyRenewal.verify(InterHospitalRenewal.HOSPITAL, key, "H-A", "k-old",
                held.publicPoint(), now.minus(PartialKeyRenewal.MAX_SKEW).minusSeconds(1), proof, now));
        // the implicit key under another generation's PK is not the holder's
        MasterSecret next = MasterSecret.generate(w.curve, Fixtures.seededRandom(90));
        refused(Reason.BAD_SIGNATURE, () -> PartialKeyRenewal.verify(InterHospitalRenewal.HOSPITAL,
                InterHospitalRenewal.key(next.publicKey(), "H-A", held.publicPoint()), "H-A", "k-old", held.publicPoint(), now, proof, now));
        // another registered party's partial key does not prove this one
        Patient other = w.newPatient("P-X");
        byte[] forged = PartialKeyRenewal.sign(InterHospitalRenewal.HOSPITAL, other.partialKey().secret(), "H-A", "k-old",
                held.publicPoint(), now);
        refused(Reason.BAD_SIGNATURE, () -> PartialKeyRenewal.verify(InterHospitalRenewal.HOSPITAL, key, "H-A", "k-old",
                held.publicPoint(), now, forged, now));
    }

    @Test
    void aPatientRenewedUnderTheNewMasterKeyPassesEq5UnderItOnly() throws ProtocolException {
        Patient p = w.newPatient("P-1");
        PartialKey held = p.partialKey();
        byte[] proof = PartialKeyRenewal.sign(InterHospitalRenewal.PATIENT, held.secret(), "P-1", "k-old", held.publicPoint(), now);
        assertDoesNotThrow(() -> PartialKeyRenewal.verify(InterHospitalRenewal.PATIENT,
                InterHospitalRenewal.key(w.center.publicKey(), "P-1", held.publicPoint()), "P-1", "k-old", held.publicPoint(), now,
                proof, now));
        refused(Reason.BAD_SIGNATURE, () -> PartialKeyRenewal.verify(EmrAuthRenewal.PATIENT,
                InterHospitalRenewal.key(w.center.publicKey(), "P-1", held.publicPoint()), "P-1", "k-old", held.publicPoint(), now,
                proof, now));

        // after a rotation: the old grant fails eq. 5 under the new PK; the one the new center issues passes it
        MasterSecret next = MasterSecret.generate(w.curve, Fixtures.seededRandom(91));
        BlockchainCenter renewed = new BlockchainCenter(w.env(), next, w.certifier);
        TrustContext underNext = new TrustContext(next.publicKey(), w.certifier.verificationKey(), w.directory, (c, i) -> { });
        PartyKeys keys = PartyKeys.generate(w.curve, Fixtures.seededRandom(92));
        Patient device = new Patient(w.env(), underNext, keys, "P-2", w.ledger);
        RegistrationOutcome first = w.center.register(device.registrationRequest("patient P-2"));
        refused(Reason.BAD_PARTIAL_KEY, () -> device.acceptRegistration(first.grant()));
        RegistrationOutcome fresh = renewed.register(device.registrationRequest("patient P-2"));
        assertDoesNotThrow(() -> device.acceptRegistration(fresh.grant()));
    }
}
