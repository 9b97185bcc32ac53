package org.medledger.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.medledger.ledger.LedgerException;
import org.medledger.ledger.LedgerReason;
import org.medledger.platform.DomainException;

/**
 * A ledger refusal reaches the client as the caller's error (4xx) when what was submitted is at
 * fault, and as unavailable (503) only when the ledger cannot commit.
 */
class LedgerRefusalTest {

    /** The reasons that say the ledger could not commit, whatever was submitted. */
    static final Set<LedgerReason> UNAVAILABLE = EnumSet.of(LedgerReason.FORK, LedgerReason.STORE_FAILURE,
            LedgerReason.OUTCOME_UNKNOWN, LedgerReason.CORRUPT, LedgerReason.CLOSED);

    static DomainException.Kind kind(LedgerReason reason) {
        return LedgerNode.reject(new LedgerException(reason, "contract member, key id 42")).kind();
    }

    @Test
    void aRefusalOfTheSubmissionIsTheCallersError() {
        assertEquals(DomainException.Kind.INVALID, kind(LedgerReason.MALFORMED));
        assertEquals(DomainException.Kind.INVALID, kind(LedgerReason.STALE_TIMESTAMP));
        assertEquals(DomainException.Kind.FORBIDDEN, kind(LedgerReason.BAD_SIGNATURE));
        assertEquals(DomainException.Kind.FORBIDDEN, kind(LedgerReason.MEMBER_NOT_ACTIVE));
        assertEquals(DomainException.Kind.FORBIDDEN, kind(LedgerReason.WRONG_ROLE));
        assertEquals(DomainException.Kind.FORBIDDEN, kind(LedgerReason.MISSING_ENDORSEMENT));
        assertEquals(DomainException.Kind.FORBIDDEN, kind(LedgerReason.NOT_AUTHORIZED));
        assertEquals(DomainException.Kind.NOT_FOUND, kind(LedgerReason.UNKNOWN_MEMBER));
        assertEquals(DomainException.Kind.NOT_FOUND, kind(LedgerReason.NOT_FOUND));
        assertEquals(DomainException.Kind.CONFLICT, kind(LedgerReason.ALREADY_EXISTS));
        assertEquals(DomainException.Kind.CONFLICT, kind(LedgerReason.DUPLICATE_TRANSACTION));
    }

    @ParameterizedTest
    @EnumSource(LedgerReason.class)
    void onlyALedgerThatCannotCommitIsUnavailable(LedgerReason reason) {
        DomainException e = LedgerNode.reject(new LedgerException(reason, "contract member, key id 42"));
        assertEquals(UNAVAILABLE.contains(reason), e.kind() == DomainException.Kind.UNAVAILABLE, reason.name());
        assertEquals("LEDGER_" + reason.name(), e.code());
        // the ledger's own text stays in the server log
        assertFalse(e.getMessage().contains("key id 42"), e.getMessage());
    }
}
