package org.medledger.abe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.pairing.PairingGroups;

/**
 * Without the blst module (this module's tests do not have the optional binding on their class
 * path, like a server without configure-pairing.cli), asking for the native pairing gives the
 * pure-Java one, reported as the fallback with the reason.
 */
class AbePairingTest {

    @Test
    void nativeRequestedButUnavailableFallsBackToPureJavaAndSaysSo() {
        assertTrue(isAbsent("supranational.blst.P1"), "this test needs a class path without blst");
        String before = System.getProperty(PairingGroups.PROPERTY);
        System.setProperty(PairingGroups.PROPERTY, PairingGroups.NATIVE);
        try {
            AbePairing.Status s = AbePairing.status();
            assertEquals(PairingGroups.PURE_JAVA, s.implementation());
            assertEquals(PairingGroups.NATIVE, s.requested());
            assertTrue(s.fallback());
            assertTrue(!s.reason().isBlank(), s.toString());
            assertEquals("BLS12-381", AbePairing.group().name());
            assertEquals(s, AbePairing.status(), "chosen once per deployment");
        } finally {
            if (before == null) {
                System.clearProperty(PairingGroups.PROPERTY);
            } else {
                System.setProperty(PairingGroups.PROPERTY, before);
            }
        }
    }

    private static boolean isAbsent(String className) {
        try {
            Class.forName(className, false, AbePairingTest.class.getClassLoader());
            return false;
        } catch (ClassNotFoundException e) {
            return true;
        }
    }
}
