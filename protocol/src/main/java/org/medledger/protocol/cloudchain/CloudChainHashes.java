package org.medledger.protocol.cloudchain;

import java.nio.charset.StandardCharsets;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;
import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.Kdf;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.SecretBytes;

/**
 * The {@code h(·)} of CLOUD-CHAIN. Values that are XOR-ed are 32 bytes (SHA-256 of the
 * labelled encoding) or, when they mask a curve scalar, HKDF-expanded to the scalar length.
 * {@code HPW_i} is a slow password hash (PBKDF2-HMAC-SHA256) so that a stolen card does
 * not allow cheap offline password guessing (see docs/protocols/cloud-chain.md).
 */
final class CloudChainHashes {

    static final int LENGTH = 32;

    private CloudChainHashes() {
    }

    /** {@code h(fields)} as 32 bytes. */
    static byte[] h(LabelledEncoder fields) {
        return CheckValues.digest(fields);
    }

    /** A mask of {@code length} bytes derived from {@code fields}. */
    static byte[] mask(LabelledEncoder fields, int length) {
        return Kdf.hkdf(fields.toByteArray(), new byte[0], fields.label().getBytes(StandardCharsets.UTF_8), length).reveal();
    }

    /** {@code HPW_i = h(ID_i‖PW_i)} as PBKDF2-HMAC-SHA256 with the identity as salt. */
    static byte[] hpw(String idI, SecretBytes pw, int iterations) {
        PKCS5S2ParametersGenerator g = new PKCS5S2ParametersGenerator(new SHA256Digest());
        byte[] p = pw.reveal();
        try {
            g.init(p, LabelledEncoder.of("CLOUD-CHAIN/5.1.1/HPW").utf8(idI).toByteArray(), iterations);
            return ((KeyParameter) g.generateDerivedParameters(LENGTH * 8)).getKey();
        } finally {
            java.util.Arrays.fill(p, (byte) 0);
        }
    }

    static byte[] xor(byte[] a, byte[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("XOR operands differ in length");
        }
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }
}
