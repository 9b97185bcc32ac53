package org.medledger.protocol.pairing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

class PairingGroupsTest {

    @Test
    void namesSelectTheImplementationAndPureJavaIsTheDefault() throws ProtocolException {
        assertSame(Bls12381PureJava.get(), PairingGroups.named("pure-java"));
        assertSame(Bls12381.get(), PairingGroups.named("native"));
        if (System.getProperty(PairingGroups.PROPERTY) == null) {
            assertSame(Bls12381PureJava.get(), PairingGroups.configured());
        }
        ProtocolException e = assertThrows(ProtocolException.class, () -> PairingGroups.named("bn254"));
        assertEquals(Reason.BAD_PARAMETER, e.reason());
    }
}
