package org.medledger.ledger.contract;

import org.medledger.ledger.LedgerException;
import org.medledger.ledger.LedgerReason;

/** A contract refused the call. */
public final class ContractException extends LedgerException {
    private static final long serialVersionUID = 1L;

    public ContractException(LedgerReason reason, String detail) {
        super(reason, detail);
    }
}
