package org.medledger.protocol.abe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

class AccessPolicyTest {

    @Test
    void andBindsTighterThanOr() throws ProtocolException {
        AccessPolicy p = AccessPolicy.parse("a OR b AND c");
        assertEquals("a OR (b AND c)", p.canonical());
        assertTrue(p.isSatisfiedBy(Set.of("a")));
        assertFalse(p.isSatisfiedBy(Set.of("b")));
        assertTrue(p.isSatisfiedBy(Set.of("b", "c")));
    }

    @Test
    void keywordsAndAttributesAreCaseInsensitive() throws ProtocolException {
        assertEquals(AccessPolicy.parse("insurer AND claims"), AccessPolicy.parse("INSURER and Claims"));
        assertEquals("insurer AND claims", AccessPolicy.parse("Insurer AnD CLAIMS").canonical());
    }

    @Test
    void thresholdGatesAreParsedAndNormalized() throws ProtocolException {
        assertEquals("2 of (a, b, c)", AccessPolicy.parse("2 OF (a, b, c)").canonical());
        assertEquals("a AND b AND c", AccessPolicy.parse("3 of (a, b, c)").canonical());
        assertEquals("a OR b", AccessPolicy.parse("1 of (a, b)").canonical());
        assertEquals("x AND 2 of (a, b OR d, c)", AccessPolicy.parse("x and 2 of (a, (b or d), c)").canonical());
    }

    @Test
    void nestedGatesOfTheSameKindAreFlattened() throws ProtocolException {
        assertEquals("a AND b AND c", AccessPolicy.parse("a AND (b AND (c))").canonical());
        assertEquals("a OR b OR c", AccessPolicy.parse("((a OR b) OR c)").canonical());
    }

    @Test
    void canonicalTextParsesBackToItself() throws ProtocolException {
        for (String text : List.of("a", "\"Dr. Müller\" OR \"2fa\"", "x AND 2 of (a, b OR d, c)",
                "(a OR b) AND (c OR 3 of (d, e, f, g))")) {
            AccessPolicy p = AccessPolicy.parse(text);
            assertEquals(p.canonical(), AccessPolicy.parse(p.canonical()).canonical(), text);
        }
    }

    @Test
    void quotedAttributesMayContainSpacesAndKeywords() throws ProtocolException {
        AccessPolicy p = AccessPolicy.parse("\"Claims Department\" AND \"and\"");
        assertEquals(List.of("claims department", "and"), p.leaves());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "'';0",
            "a AND;5",
            "(a OR b;7",
            "a b;2",
            "a AND OR b;6",
            "4 of (a, b, c);0",
            "0 of (a);0",
            "2 (a, b);2",
            "\"unterminated;0",
            "a ) b;2",
            "and;0",
            "a AND $;6",
    })
    void syntaxErrorsNameTheirPosition(String text, int position) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> AccessPolicy.parse(text));
        assertEquals(Reason.POLICY_NOT_SATISFIED, e.reason());
        assertTrue(e.detail().contains("position " + position + ":"), e.detail());
    }

    @Test
    void overlyDeepOrLargePoliciesAreRefused() {
        String deep = "(".repeat(40) + "a" + ")".repeat(40);
        assertThrows(ProtocolException.class, () -> AccessPolicy.parse(deep));
        StringBuilder big = new StringBuilder("a0");
        for (int i = 1; i <= AccessPolicy.MAX_LEAVES; i++) {
            big.append(" OR a").append(i);
        }
        assertThrows(ProtocolException.class, () -> AccessPolicy.parse(big.toString()));
    }
}
