package org.medledger.protocol.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DynamicTest;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/** Shared strict-codec checks: round trip, trailing bytes, truncation, foreign messages. */
public final class CodecChecks {

    public interface Decoder {
        Object decode(byte[] b) throws ProtocolException;
    }

    public record Case(byte[] encoded, Decoder decoder) {
    }

    private CodecChecks() {
    }

    public static List<DynamicTest> strictness(Map<String, Case> cases) {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, Case> e : cases.entrySet()) {
            byte[] enc = e.getValue().encoded();
            Decoder dec = e.getValue().decoder();
            tests.add(dynamicTest(e.getKey() + " round-trips", () -> {
                Object back = dec.decode(enc);
                String method = java.util.Arrays.stream(back.getClass().getMethods()).anyMatch(m -> m.getName().equals("encode"))
                        ? "encode" : "export";
                assertArrayEquals(enc, (byte[]) back.getClass().getMethod(method).invoke(back));
            }));
            tests.add(dynamicTest(e.getKey() + " rejects trailing bytes", () -> assertEquals(Reason.MALFORMED_MESSAGE,
                    assertThrows(ProtocolException.class, () -> dec.decode(Arrays.copyOf(enc, enc.length + 1))).reason())));
            tests.add(dynamicTest(e.getKey() + " rejects a truncated last field", () -> assertEquals(Reason.MALFORMED_MESSAGE,
                    assertThrows(ProtocolException.class, () -> dec.decode(Arrays.copyOf(enc, enc.length - 1))).reason())));
            tests.add(dynamicTest(e.getKey() + " rejects other messages", () -> {
                for (Case other : cases.values()) {
                    if (other.encoded() != enc) {
                        assertEquals(Reason.MALFORMED_MESSAGE,
                                assertThrows(ProtocolException.class, () -> dec.decode(other.encoded())).reason());
                    }
                }
            }));
        }
        return tests;
    }
}
