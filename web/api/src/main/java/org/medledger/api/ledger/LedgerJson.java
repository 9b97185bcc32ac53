package org.medledger.api.ledger;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;

import org.medledger.consensus.LedgerRecord;

/** JSON of a ledger receipt. */
public final class LedgerJson {

    private LedgerJson() {
    }

    public static JsonObjectBuilder of(LedgerRecord r) {
        return Json.createObjectBuilder()
                .add("logIndex", r.logIndex())
                .add("txId", r.txId())
                .add("treeSize", r.treeSize())
                .add("rootHash", r.rootHash())
                .add("treeHeadTimestamp", r.treeHeadTimestamp());
    }
}
