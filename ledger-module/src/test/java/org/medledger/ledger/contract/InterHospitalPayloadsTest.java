package org.medledger.ledger.contract;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medledger.ledger.LedgerException;
import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.contract.seeds.ConsentContract;
import org.medledger.ledger.contract.seeds.InterHospitalPayloads;
import org.medledger.ledger.contract.seeds.InterHospitalPayloads.Call;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.node.Ledger;
import org.medledger.ledger.store.memory.InMemoryLedgerStore;
import org.medledger.ledger.testing.Fixture;
import org.medledger.ledger.tx.Transaction;
import org.medledger.ledger.verify.ChainSource;
import org.medledger.protocol.interhospital.HospitalInsert;
import org.medledger.protocol.interhospital.MedicalRecordCheck;
import org.medledger.protocol.interhospital.MedicalRecordInsert;
import org.medledger.protocol.interhospital.PatientInsert;
import org.medledger.protocol.interhospital.RecordTransferLog;
import org.medledger.protocol.interhospital.TreatmentConsent;

/** The INTER-HOSPITAL payloads the protocol emits, executed by the ledger's real contracts. */
class InterHospitalPayloadsTest {
    private final Fixture fx = new Fixture();
    private InMemoryLedgerStore store;
    private Ledger ledger;

    @BeforeEach
    void open() {
        store = new InMemoryLedgerStore();
        ledger = fx.open(store);
        for (String h : List.of("HPA", "HPB")) {
            fx.register(ledger, h, Role.HOSPITAL);
            ledger.submitAndWait(byKgc(InterHospitalPayloads.of(new HospitalInsert(h, "general hospital"))));
        }
        fx.register(ledger, "PAT-1", Role.PATIENT);
        ledger.submitAndWait(byKgc(InterHospitalPayloads.of(new PatientInsert("PAT-1", "registered", List.of()))));
    }

    @AfterEach
    void verifies() {
        ledger.close();
        assertTrue(fx.verifier().verify(ChainSource.of(store)).ok());
    }

    private Transaction byKgc(Call c) {
        return fx.endorse(fx.tx(Fixture.KGC, c.contract(), c.function(), c.args()), Fixture.KGC);
    }

    private Transaction by(String member, Call c) {
        return fx.endorse(fx.tx(member, c.contract(), c.function(), c.args()), member);
    }

    private void refused(LedgerReason reason, Transaction tx) {
        assertEquals(reason, assertThrows(LedgerException.class, () -> ledger.submitAndWait(tx)).reason());
    }

    private static MedicalRecordInsert record(String dx, String hospital) {
        return new MedicalRecordInsert(dx, "PAT-1", hospital, new byte[32], Fixture.NOW);
    }

    @Test
    void theProtocolsTreatmentRecordTransferAndChecksRunOnTheRealContracts() {
        // Without the patient's treatment consent, the holder cannot attach a record to the patient.
        refused(LedgerReason.NOT_AUTHORIZED, by("HPA", InterHospitalPayloads.of(record("DX-1", "HPA"))));
        ledger.submitAndWait(fx.tx("PAT-1", ConsentContract.NAME, "grant",
                InterHospitalPayloads.of(new TreatmentConsent("PAT-1", "HPA", Fixture.NOW + Fixture.YEAR)).args()));
        ledger.submitAndWait(by("HPA", InterHospitalPayloads.of(record("DX-1", "HPA"))));
        ledger.submitAndWait(by("HPA", InterHospitalPayloads.mapping(new PatientInsert("PAT-1", "", List.of("DX-1")), "DX-1", "HPA")));
        Call check = InterHospitalPayloads.of(new MedicalRecordCheck("DX-1", "HPA", "PAT-1"));
        assertDoesNotThrow(() -> ledger.query(check.contract(), check.function(), check.args()));
        Call wrongHolder = InterHospitalPayloads.of(new MedicalRecordCheck("DX-1", "HPB", "PAT-1"));
        assertEquals(LedgerReason.NOT_AUTHORIZED, assertThrows(LedgerException.class,
                () -> ledger.query(wrongHolder.contract(), wrongHolder.function(), wrongHolder.args())).reason());
        // The release under one patient authorization is logged once, by the holder.
        RecordTransferLog log = new RecordTransferLog("HPA", "HPB", "PAT-1", List.of("DX-1"), new byte[32], Fixture.NOW);
        refused(LedgerReason.MISSING_ENDORSEMENT, by("HPB", InterHospitalPayloads.of(log)));
        ledger.submitAndWait(by("HPA", InterHospitalPayloads.of(log)));
        refused(LedgerReason.ALREADY_EXISTS, by("HPA", InterHospitalPayloads.of(log)));
    }
}
