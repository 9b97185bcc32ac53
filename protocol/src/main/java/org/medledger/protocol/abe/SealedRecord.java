package org.medledger.protocol.abe;

import java.util.Arrays;
import java.util.Objects;

import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.pairing.PairingGroup;

/**
 * A record encrypted hybrid (PROTOCOLS.md §4): {@code kem} encrypts a random m ∈ GT under
 * the policy; {@code body} is AES-256-GCM ({@code nonce ‖ ciphertext ‖ tag}) under
 * HKDF(m, descriptor), see {@link RecordCipher}.
 */
public record SealedRecord(PolicyCiphertext kem, byte[] body) {

    static final String LABEL = "ABE-CHAIN/SealedRecord/v1";

    public SealedRecord {
        Objects.requireNonNull(kem, "KEM ciphertext is required");
        body = Objects.requireNonNull(body, "body is required").clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    public AccessPolicy policy() {
        return kem.policy();
    }

    public byte[] toBytes() {
        return LabelledEncoder.of(LABEL).bytes(kem.toBytes()).bytes(body).toByteArray();
    }

    public static SealedRecord decode(PairingGroup group, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        PolicyCiphertext kem = PolicyCiphertext.decode(group, d.bytes());
        byte[] body = d.bytes();
        d.finish();
        return new SealedRecord(kem, body);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SealedRecord other && Arrays.equals(toBytes(), other.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "SealedRecord[policy=" + kem.policy() + ", " + body.length + " bytes]";
    }
}
