package org.medledger.protocol.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;

import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

class LabelledEncodingTest {

    @Test
    void encodingIsLengthPrefixedWithTheLabelFirst() {
        byte[] enc = LabelledEncoder.of("L").utf8("ab").bytes(new byte[0]).toByteArray();
        assertEquals("000000014c" + "000000026162" + "00000000", Hex.toHexString(enc));
    }

    @Test
    void anExactlySizedEncodingIsTheSameAndLaterWritesLeaveItAlone() {
        byte[] field = {9, 8, 7, 6, 5};
        int exact = LabelledEncoder.encodedLength("L", field.length, 8);
        LabelledEncoder e = LabelledEncoder.of("L", exact).bytes(field).int64(42);
        byte[] first = e.toByteArray();
        assertEquals(exact, first.length);
        assertArrayEquals(LabelledEncoder.of("L").bytes(field).int64(42).toByteArray(), first);
        byte[] copy = first.clone();
        e.utf8("more");
        assertArrayEquals(copy, first, "a write after toByteArray changed or wiped the returned encoding");
        assertArrayEquals(LabelledEncoder.of("L").bytes(field).int64(42).utf8("more").toByteArray(), e.toByteArray());
    }

    @Test
    void aFieldTakenFromPartOfAnArrayEqualsTheCopiedField() {
        byte[] sealed = {1, 2, 3, 4, 5, 6, 7, 8};
        assertArrayEquals(LabelledEncoder.of("L").bytes(new byte[] {3, 4, 5}).bytes(new byte[] {8}).toByteArray(),
                LabelledEncoder.of("L").bytes(sealed, 2, 3).bytes(sealed, 7, 1).toByteArray());
        assertThrows(IndexOutOfBoundsException.class, () -> LabelledEncoder.of("L").bytes(sealed, 6, 3));
    }

    @Test
    void shiftingBytesBetweenFieldsChangesTheEncoding() {
        byte[] a = LabelledEncoder.of("L").utf8("ab").utf8("c").toByteArray();
        byte[] b = LabelledEncoder.of("L").utf8("a").utf8("bc").toByteArray();
        assertFalse(Arrays.equals(a, b));
    }

    @Test
    void differentLabelsNeverCollide() {
        byte[] a = LabelledEncoder.of("EMR-AUTH/eq17/SEK1").utf8("x").toByteArray();
        byte[] b = LabelledEncoder.of("EMR-AUTH/eq22/SEK1").utf8("x").toByteArray();
        assertFalse(Arrays.equals(a, b));
    }

    @Test
    void decoderRoundTripsAllFieldTypes() throws ProtocolException {
        byte[] enc = LabelledEncoder.of("T").utf8("id").int64(-5L).int32(7).bytes(new byte[] {1, 2}).toByteArray();
        LabelledDecoder d = LabelledDecoder.open(enc, "T");
        assertEquals("id", d.utf8());
        assertEquals(-5L, d.int64());
        assertEquals(7, d.int32());
        assertArrayEquals(new byte[] {1, 2}, d.bytes(2));
        d.finish();
    }

    @Test
    void decoderRejectsWrongLabel() {
        byte[] enc = LabelledEncoder.of("T").utf8("id").toByteArray();
        assertEquals(Reason.MALFORMED_MESSAGE, assertThrows(ProtocolException.class, () -> LabelledDecoder.open(enc, "U")).reason());
    }

    @Test
    void decoderRejectsTrailingBytesAndExtraFields() throws ProtocolException {
        byte[] enc = LabelledEncoder.of("T").utf8("id").utf8("extra").toByteArray();
        LabelledDecoder d = LabelledDecoder.open(enc, "T");
        d.utf8();
        assertEquals(Reason.MALFORMED_MESSAGE, assertThrows(ProtocolException.class, d::finish).reason());
        byte[] trailing = Arrays.copyOf(LabelledEncoder.of("T").utf8("id").toByteArray(), 12);
        LabelledDecoder d2 = LabelledDecoder.open(trailing, "T");
        d2.utf8();
        assertEquals(Reason.MALFORMED_MESSAGE, assertThrows(ProtocolException.class, d2::finish).reason());
    }

    @Test
    void decoderRejectsMissingFieldsAndLengthOverruns() throws ProtocolException {
        byte[] enc = LabelledEncoder.of("T").utf8("id").toByteArray();
        LabelledDecoder d = LabelledDecoder.open(enc, "T");
        d.utf8();
        assertEquals(Reason.MALFORMED_MESSAGE, assertThrows(ProtocolException.class, d::utf8).reason());
        byte[] overrun = enc.clone();
        overrun[overrun.length - 3] = 0x7f; // length of "id" becomes huge
        LabelledDecoder d2 = LabelledDecoder.open(overrun, "T");
        assertEquals(Reason.MALFORMED_MESSAGE, assertThrows(ProtocolException.class, d2::utf8).reason());
    }

    @Test
    void decoderRejectsWrongFixedLengthsAndBadUtf8() throws ProtocolException {
        byte[] enc = LabelledEncoder.of("T").bytes(new byte[7]).bytes(new byte[] {(byte) 0xc3}).toByteArray();
        LabelledDecoder d = LabelledDecoder.open(enc, "T");
        assertEquals(Reason.MALFORMED_MESSAGE, assertThrows(ProtocolException.class, d::int64).reason());
        assertEquals(Reason.MALFORMED_MESSAGE, assertThrows(ProtocolException.class, d::utf8).reason());
    }
}
