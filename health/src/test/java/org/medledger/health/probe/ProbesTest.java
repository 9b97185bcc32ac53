package org.medledger.health.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProbesTest {

    /** A probe whose checks have fixed outcomes. */
    record Fixed(boolean databaseUp, boolean ledgerUp, boolean keycloakUp) implements ServerProbe {
        @Override
        public Check database() {
            return new Check("database", databaseUp, Map.of("product", "H2"));
        }

        @Override
        public Check ledger() {
            return new Check("ledger", ledgerUp, Map.of("size", 3L));
        }

        @Override
        public Check keycloak() {
            return new Check("keycloak", keycloakUp, Map.of());
        }
    }

    @AfterEach
    void clear() {
        Probes.current().ifPresent(Probes::withdraw);
    }

    @Test
    void nothingRegisteredBeforeTheApplicationStarts() {
        assertTrue(Probes.current().isEmpty());
    }

    @Test
    void aStoppingDeploymentDoesNotWithdrawItsSuccessor() {
        ServerProbe old = new Fixed(true, true, true);
        ServerProbe next = new Fixed(true, false, true);
        Probes.register(old);
        Probes.register(next);
        Probes.withdraw(old);
        assertSame(next, Probes.current().orElseThrow());
        Probes.withdraw(next);
        assertTrue(Probes.current().isEmpty());
    }

    @Test
    void readinessHasAllThreeChecksAndLivenessOnlyTheLedger() {
        ServerProbe p = new Fixed(true, true, false);
        assertEquals(List.of("database", "ledger", "keycloak"), p.readiness().stream().map(Check::name).toList());
        assertFalse(p.readiness().stream().allMatch(Check::up));
        assertEquals(List.of("ledger"), p.liveness().stream().map(Check::name).toList());
        assertTrue(p.liveness().get(0).up());
    }
}
