package org.medledger.ledger.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writer of the unambiguous encoding (PROTOCOLS.md §0): a domain label, then every field as
 * a 4-byte big-endian length followed by its bytes. Never plain concatenation.
 */
public final class Canonical {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    private Canonical() {
    }

    public static Canonical label(String label) {
        return new Canonical().str(label);
    }

    /** An encoding without a label, for nested values. */
    public static Canonical plain() {
        return new Canonical();
    }

    public Canonical bytes(byte[] b) {
        writeInt(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    public Canonical str(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    public Canonical u64(long v) {
        writeInt(8);
        for (int i = 7; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    public Canonical digest(Digest d) {
        return bytes(d.bytes());
    }

    private void writeInt(int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    public byte[] toBytes() {
        return out.toByteArray();
    }

    public Digest sha256() {
        return Digest.wrap(Digest.sha256().digest(out.toByteArray()));
    }
}
