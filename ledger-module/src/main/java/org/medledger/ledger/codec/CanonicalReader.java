package org.medledger.ledger.codec;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

import org.medledger.ledger.LedgerException;
import org.medledger.ledger.LedgerReason;

/** Reader for {@link Canonical} encodings; any inconsistency is {@link LedgerReason#MALFORMED}. */
public final class CanonicalReader {
    private final byte[] in;
    private int pos;

    public CanonicalReader(byte[] in) {
        this.in = in;
    }

    public CanonicalReader expectLabel(String label) {
        String got = str();
        if (!got.equals(label)) {
            throw malformed("unexpected label");
        }
        return this;
    }

    public byte[] bytes() {
        if (in.length - pos < 4) {
            throw malformed("truncated length");
        }
        int len = ((in[pos] & 0xff) << 24) | ((in[pos + 1] & 0xff) << 16) | ((in[pos + 2] & 0xff) << 8) | (in[pos + 3] & 0xff);
        pos += 4;
        if (len < 0 || len > in.length - pos) {
            throw malformed("bad field length");
        }
        byte[] b = new byte[len];
        System.arraycopy(in, pos, b, 0, len);
        pos += len;
        return b;
    }

    public String str() {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes())).toString();
        } catch (CharacterCodingException e) {
            throw malformed("bad UTF-8");
        }
    }

    public long u64() {
        byte[] b = bytes();
        if (b.length != 8) {
            throw malformed("bad u64");
        }
        long v = 0;
        for (byte x : b) {
            v = (v << 8) | (x & 0xff);
        }
        return v;
    }

    public Digest digest() {
        byte[] b = bytes();
        if (b.length != Digest.LENGTH) {
            throw malformed("bad digest");
        }
        return Digest.wrap(b);
    }

    public boolean hasMore() {
        return pos < in.length;
    }

    public void expectEnd() {
        if (pos != in.length) {
            throw malformed("trailing bytes");
        }
    }

    private static LedgerException malformed(String what) {
        return new LedgerException(LedgerReason.MALFORMED, what);
    }
}
