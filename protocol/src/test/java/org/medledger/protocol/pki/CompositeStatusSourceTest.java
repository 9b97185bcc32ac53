package org.medledger.protocol.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.CertificateStatusSource;
import org.medledger.protocol.common.CertificateStatusSource.Status;

class CompositeStatusSourceTest {

    private static final CertificateStatusSource GOOD = (c, i) -> Status.GOOD;
    private static final CertificateStatusSource REVOKED = (c, i) -> Status.REVOKED;
    private static final CertificateStatusSource UNKNOWN = (c, i) -> Status.UNKNOWN;
    private static final CertificateStatusSource THROWS = (c, i) -> {
        throw new IllegalStateException("responder down");
    };
    private static final CertificateStatusSource NULL = (c, i) -> null;

    @Test
    void requireAllIsGoodOnlyWhenEverySourceIsGood() {
        assertEquals(Status.GOOD, CompositeStatusSource.requireAll(GOOD, GOOD).status(null, null));
        assertEquals(Status.UNKNOWN, CompositeStatusSource.requireAll(GOOD, UNKNOWN).status(null, null));
        assertEquals(Status.UNKNOWN, CompositeStatusSource.requireAll(GOOD, THROWS).status(null, null));
        assertEquals(Status.UNKNOWN, CompositeStatusSource.requireAll(NULL, GOOD).status(null, null));
    }

    @Test
    void revokedWinsOverEverything() {
        assertEquals(Status.REVOKED, CompositeStatusSource.requireAll(UNKNOWN, REVOKED).status(null, null));
        assertEquals(Status.REVOKED, CompositeStatusSource.requireAll(GOOD, REVOKED).status(null, null));
        assertEquals(Status.REVOKED, CompositeStatusSource.firstConclusive(THROWS, REVOKED, GOOD).status(null, null));
    }

    @Test
    void firstConclusiveFallsBackOnlyPastUnknownAnswers() {
        assertEquals(Status.GOOD, CompositeStatusSource.firstConclusive(THROWS, GOOD).status(null, null));
        assertEquals(Status.GOOD, CompositeStatusSource.firstConclusive(GOOD, REVOKED).status(null, null));
        assertEquals(Status.UNKNOWN, CompositeStatusSource.firstConclusive(UNKNOWN, THROWS).status(null, null));
    }

    @Test
    void atLeastOneSourceIsRequired() {
        assertThrows(IllegalArgumentException.class, CompositeStatusSource::requireAll);
    }
}
