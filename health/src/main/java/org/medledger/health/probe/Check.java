package org.medledger.health.probe;

import java.util.Map;

/**
 * One check's outcome: its name, whether it is up, and a few public figures (names and sizes only,
 * never a party, record or secret).
 */
public record Check(String name, boolean up, Map<String, Object> data) {

    public Check {
        data = Map.copyOf(data);
    }

    /** A check that is down with nothing to report. */
    public static Check down(String name) {
        return new Check(name, false, Map.of());
    }
}
