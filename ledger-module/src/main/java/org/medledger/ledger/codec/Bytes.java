package org.medledger.ledger.codec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/** Immutable byte string compared by value, for public values inside records (never secrets). */
public final class Bytes {
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] b;

    private Bytes(byte[] b) {
        this.b = b;
    }

    public static Bytes of(byte[] b) {
        return new Bytes(b.clone());
    }

    public static Bytes utf8(String s) {
        return new Bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    public static Bytes fromHex(String hex) {
        return new Bytes(HexFormat.of().parseHex(hex));
    }

    public byte[] toArray() {
        return b.clone();
    }

    public int length() {
        return b.length;
    }

    public String utf8() {
        return new String(b, StandardCharsets.UTF_8);
    }

    public String hex() {
        return HexFormat.of().formatHex(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes x && MessageDigest.isEqual(b, x.b);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(b);
    }

    @Override
    public String toString() {
        return b.length <= 40 ? hex() : hex().substring(0, 40) + "…(" + b.length + " bytes)";
    }
}
