package org.medledger.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ConsortiumSettingsTest {

    @Test
    void peersAreReadInOrderWithTheirAddresses() {
        var m = ConsortiumSettings.parsePeers("hpa=127.0.0.1:18701, hpb=127.0.0.1:18702,hpc=node-c.example:18703");
        assertEquals(List.of("hpa", "hpb", "hpc"), List.copyOf(m.keySet()));
        assertEquals("node-c.example", m.get("hpc").getHostString());
        assertEquals(18702, m.get("hpb").getPort());
    }

    @Test
    void malformedOrRepeatedPeersStopTheNodeFromStarting() {
        for (String bad : List.of("hpa", "hpa=host", "=h:1", "hpa=h:0", "hpa=h:70000", "hpa=h:x", "hpa=h:1,hpa=h:2", "hpa=:1")) {
            assertThrows(IllegalStateException.class, () -> ConsortiumSettings.parsePeers(bad), bad);
        }
    }

    @Test
    void withoutANodeIdTheServerRunsTheSingleNodeLedger() {
        System.clearProperty(ConsortiumSettings.NODE_ID);
        assertTrue(ConsortiumSettings.fromSystemProperties().isEmpty());
        System.setProperty(ConsortiumSettings.NODE_ID, "  ");
        try {
            assertTrue(ConsortiumSettings.fromSystemProperties().isEmpty());
            System.setProperty(ConsortiumSettings.NODE_ID, "hpa");
            // a node id without its membership and peers is a configuration error, not silently single-node
            assertThrows(IllegalStateException.class, ConsortiumSettings::fromSystemProperties);
        } finally {
            System.clearProperty(ConsortiumSettings.NODE_ID);
        }
    }
}
