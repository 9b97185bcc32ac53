package org.medledger.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class BoundedCacheTest {

    @Test
    void keepsAtMostItsCapacityDroppingTheLeastRecentlyUsed() {
        BoundedCache<String, Integer> c = new BoundedCache<>(2);
        c.put("a", 1);
        c.put("b", 2);
        assertEquals(Optional.of(1), c.get("a"));
        c.put("c", 3);
        assertEquals(2, c.size());
        assertTrue(c.get("b").isEmpty(), "b was the least recently used");
        assertEquals(Optional.of(1), c.get("a"));
        assertEquals(Optional.of(3), c.get("c"));
    }

    @Test
    void removesOneOrMatchingOrAll() {
        BoundedCache<String, Integer> c = new BoundedCache<>(8);
        c.put("doctor/d1", 1);
        c.put("doctor/d2", 2);
        c.put("patient/p1", 3);
        c.remove("doctor/d1");
        assertTrue(c.get("doctor/d1").isEmpty());
        c.removeIf(k -> k.startsWith("doctor/"));
        assertEquals(1, c.size());
        c.clear();
        assertEquals(0, c.size());
        assertThrows(IllegalArgumentException.class, () -> new BoundedCache<String, String>(0));
    }
}
