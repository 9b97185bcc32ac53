package org.medledger.ledger.contract;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.contract.seeds.CloudChainContract;
import org.medledger.ledger.contract.seeds.ConsentContract;
import org.medledger.ledger.contract.seeds.GroupAggContract;
import org.medledger.ledger.contract.seeds.InterHospitalPayloads;
import org.medledger.ledger.contract.seeds.LedgerAuthorization;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.crypto.Signer;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.node.Ledger;
import org.medledger.ledger.store.memory.InMemoryLedgerStore;
import org.medledger.ledger.testing.Fixture;
import org.medledger.ledger.tx.Arguments;
import org.medledger.protocol.emrauth.ConsentPolicy;
import org.medledger.protocol.interhospital.MedicalRecordCheck;
import org.medledger.protocol.interhospital.PatientCheck;

/** The protocols' authorization questions answered by the ledger, as the server wires them. */
class LedgerAuthorizationTest {
    private final Fixture fx = new Fixture();
    private Ledger ledger;

    @BeforeEach
    void open() {
        ledger = fx.open(new InMemoryLedgerStore());
        fx.register(ledger, "pat-1", Role.PATIENT);
        fx.register(ledger, "pat-2", Role.PATIENT);
        fx.register(ledger, "doc-1", Role.DOCTOR);
        fx.register(ledger, "mc-1", Role.MEDICAL_CENTER);
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    @Test
    void emrAuthConsentIsTheLedgersGrantForTheDepartment() {
        ConsentPolicy consent = LedgerAuthorization.consent(ledger, fx.clock);
        assertFalse(consent.permits("pat-1", "doc-1", "cardiology"));
        ledger.submitAndWait(fx.tx("pat-1", ConsentContract.NAME, "grant", Arguments.builder().put("patientId", "pat-1")
                .put("granteeId", "doc-1").put("scope", "cardiology").put("expiry", Fixture.NOW + 1000).build()));
        assertTrue(consent.permits("pat-1", "doc-1", "cardiology"));
        assertFalse(consent.permits("pat-1", "doc-1", "neurology"));
        assertFalse(consent.permits("pat-2", "doc-1", "cardiology"));
    }

    @Test
    void cloudChainContractIsTheLedgersSc() {
        byte[] hid = new byte[32];
        Arrays.fill(hid, (byte) 3);
        String hex = Hex.toHexString(hid);
        Signer card = P256SignatureScheme.fromSeed(Fixture.bytes("card"));
        ledger.submitAndWait(fx.endorse(fx.tx(Fixture.KGC, CloudChainContract.NAME, "patient", Arguments.builder().put("hid", hex)
                .put("patientKey", Bytes.of(card.publicKey())).build()), Fixture.KGC));
        assertFalse(LedgerAuthorization.contracts(ledger).hasContract(hid, "mc-1"));
        ledger.submitAndWait(fx.endorse(fx.tx("mc-1", CloudChainContract.NAME, "sc", Arguments.builder().put("hid", hex).put("pid", "mc-1")
                .put("certJ", fx.certificate("mc-1", Role.MEDICAL_CENTER).encode())
                .put("patientSig", Bytes.of(card.sign(CloudChainContract.scStatement(hex, "mc-1")))).build()), Fixture.KGC));
        assertTrue(LedgerAuthorization.contracts(ledger).hasContract(hid, "mc-1"));
        assertFalse(LedgerAuthorization.contracts(ledger).hasContract(hid, "mc-2"));
    }

    @Test
    void groupMembershipIsTheLedgersGroupIndexOwnership() {
        ledger.submitAndWait(fx.tx("pat-1", GroupAggContract.NAME, "upload", Arguments.builder().put("kind", "PHR").put("recordId", "phr-1")
                .put("receiver", "group:G-1").put("recordTime", Fixture.NOW).put("brief", "b").put("sensitive", "s").put("groupId", "G-1").build()));
        assertTrue(LedgerAuthorization.groups(ledger).isMember("G-1", "pat-1"));
        assertFalse(LedgerAuthorization.groups(ledger).isMember("G-1", "pat-2"));
        assertFalse(LedgerAuthorization.groups(ledger).isMember("G-2", "pat-1"));
    }

    @Test
    void interHospitalChecksAreTheLedgersQueries() {
        assertFalse(LedgerAuthorization.checks(ledger).holds(new PatientCheck("PAT-1")));
        ledger.submitAndWait(fx.endorse(fx.tx(Fixture.KGC, InterHospitalPayloads.of(new PatientCheck("x")).contract(), "ptins",
                Arguments.builder().put("patientId", "PAT-1").put("detail", "d").build()), Fixture.KGC));
        assertTrue(LedgerAuthorization.checks(ledger).holds(new PatientCheck("PAT-1")));
        assertFalse(LedgerAuthorization.checks(ledger).holds(new MedicalRecordCheck("DX-1", "HPA", "PAT-1")));
    }
}
