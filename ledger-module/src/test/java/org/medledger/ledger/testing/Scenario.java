package org.medledger.ledger.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.contract.seeds.ConsentContract;
import org.medledger.ledger.contract.seeds.GroupAggContract;
import org.medledger.ledger.contract.seeds.InterHospitalContract;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.node.Ledger;
import org.medledger.ledger.node.Receipt;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;

/** A realistic mix of seed-contract transactions, submitted in bursts so blocks hold several. */
public final class Scenario {
    private Scenario() {
    }

    public static List<Receipt> populate(Fixture fx, Ledger ledger, int transactions, int burst) {
        List<Receipt> out = new ArrayList<>();
        List<Transaction> setup = new ArrayList<>();
        for (String h : List.of("hosp-1", "hosp-2")) {
            setup.add(fx.registration(h, Role.HOSPITAL));
        }
        for (int p = 1; p <= 4; p++) {
            setup.add(fx.registration("pat-" + p, Role.PATIENT));
        }
        setup.add(fx.registration("doc-1", Role.DOCTOR));
        out.addAll(submitAll(ledger, setup));
        List<Transaction> setup2 = new ArrayList<>();
        for (String h : List.of("hosp-1", "hosp-2")) {
            setup2.add(fx.endorse(fx.tx(Fixture.KGC, InterHospitalContract.NAME, "hains",
                    Arguments.builder().put("hospitalId", h).put("detail", "general hospital").build()), Fixture.KGC));
        }
        for (int p = 1; p <= 4; p++) {
            setup2.add(fx.endorse(fx.tx(Fixture.KGC, InterHospitalContract.NAME, "ptins",
                    Arguments.builder().put("patientId", "pat-" + p).put("detail", "patient " + p).build()), Fixture.KGC));
        }
        for (int p = 1; p <= 4; p++) {
            for (String h : List.of("hosp-1", "hosp-2")) {
                // mrins attaches a record to a patient only under the patient's treatment consent.
                setup2.add(fx.tx("pat-" + p, ConsentContract.NAME, "grant", Arguments.builder().put("patientId", "pat-" + p).put("granteeId", h)
                        .put("scope", InterHospitalContract.TREATMENT_SCOPE).put("expiry", Fixture.NOW + Fixture.YEAR).build()));
            }
        }
        out.addAll(submitAll(ledger, setup2));
        int n = 0;
        while (out.size() < transactions) {
            List<Transaction> batch = new ArrayList<>();
            for (int k = 0; k < burst && out.size() + batch.size() < transactions; k++, n++) {
                batch.add(mixed(fx, n));
            }
            out.addAll(submitAll(ledger, batch));
        }
        return out;
    }

    private static Transaction mixed(Fixture fx, int n) {
        String patient = "pat-" + (1 + n % 4);
        String hospital = "hosp-" + (1 + n % 2);
        switch (n % 4) {
            case 0:
                return fx.tx(patient, GroupAggContract.NAME, "upload", Arguments.builder().put("kind", "PHR").put("recordId", "phr-" + n)
                        .put("receiver", "group-" + (n % 3)).put("recordTime", Fixture.NOW).put("brief", "steps " + n)
                        .put("sensitive", Bytes.of(new byte[] {(byte) n, 7, 7})).put("groupId", "group-" + (n % 3)).build());
            case 1:
                return fx.endorse(fx.tx(hospital, InterHospitalContract.NAME, "mrins", Arguments.builder().put("diagnosisId", "dx-" + n)
                        .put("patientId", patient).put("hospitalId", hospital).put("detail", "diagnosis " + n).build()), hospital);
            case 2:
                return fx.tx(patient, ConsentContract.NAME, "grant", Arguments.builder().put("patientId", patient)
                        .put("granteeId", "doc-1").put("scope", "scope-" + n).put("expiry", Fixture.NOW + Fixture.YEAR).build());
            default:
                return fx.tx("doc-1", GroupAggContract.NAME, "upload", Arguments.builder().put("kind", "EMR").put("recordId", "emr-" + n)
                        .put("receiver", patient).put("recordTime", Fixture.NOW).put("brief", "visit").put("sensitive", "enc").build());
        }
    }

    private static List<Receipt> submitAll(Ledger ledger, List<Transaction> txs) {
        List<CompletableFuture<Receipt>> fs = new ArrayList<>();
        for (Transaction t : txs) {
            fs.add(ledger.submit(t));
        }
        return fs.stream().map(CompletableFuture::join).toList();
    }
}
