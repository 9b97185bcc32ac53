package org.medledger.ledger.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.medledger.ledger.LedgerException;

class StateKeyTest {
    @Test
    void composedKeysOfDifferentTuplesDiffer() {
        assertNotEquals(StateKey.compose("a/b", "c"), StateKey.compose("a", "b/c"));
        assertNotEquals(StateKey.compose("a", "b", "c"), StateKey.compose("a/b/c"));
        assertNotEquals(StateKey.compose("1:a", ""), StateKey.compose("1:a"));
        assertNotEquals(StateKey.compose("", "1:a"), StateKey.compose("1:a"));
        assertEquals("3:pat1:x0:", StateKey.compose("pat", "x", ""));
    }

    @Test
    void componentsRoundTrip() {
        for (List<String> t : List.of(List.of("a/b", "c"), List.of("", ":", "12:ab"), List.of("pat-1", "doc-1/x", "cardiology"))) {
            assertEquals(t, StateKey.components(StateKey.compose(t.toArray(String[]::new))));
        }
    }

    @Test
    void componentsRefuseWhatComposeNeverProduces() {
        for (String bad : List.of("", "a", "3:ab", "01:a", ":a", "1:a2", "1234:a")) {
            assertThrows(LedgerException.class, () -> StateKey.components(bad), bad);
        }
        assertThrows(LedgerException.class, StateKey::compose);
    }
}
