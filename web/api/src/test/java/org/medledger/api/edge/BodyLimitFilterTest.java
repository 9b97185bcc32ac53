package org.medledger.api.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.servlet.ServletException;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import org.junit.jupiter.api.Test;

class BodyLimitFilterTest {

    @Test
    void theLimitMustBeConfiguredAsAPositiveByteCount() throws ServletException {
        assertEquals(65536, BodyLimitFilter.configuredLimit("65536"));
        assertEquals(1, BodyLimitFilter.configuredLimit(" 1 "));
        for (String bad : new String[] {null, "", "0", "-5", "64k", "99999999999"}) {
            assertThrows(ServletException.class, () -> BodyLimitFilter.configuredLimit(bad), String.valueOf(bad));
        }
    }

    @Test
    void aBodyOfUnknownLengthIsKeptUpToTheLimitAndRefusedBeyondIt() throws IOException {
        byte[] atLimit = new byte[20_000];
        atLimit[19_999] = 7;
        assertArrayEquals(atLimit, BodyLimitFilter.readAtMost(new ByteArrayInputStream(atLimit), 20_000));
        assertNull(BodyLimitFilter.readAtMost(new ByteArrayInputStream(new byte[20_001]), 20_000));
        assertArrayEquals(new byte[0], BodyLimitFilter.readAtMost(new ByteArrayInputStream(new byte[0]), 1));
    }
}
