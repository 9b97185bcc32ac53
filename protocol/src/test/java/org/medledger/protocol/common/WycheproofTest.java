package org.medledger.protocol.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.bouncycastle.util.Arrays;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Wycheproof vectors (pinned subsets in src/test/resources/wycheproof, see its README). */
class WycheproofTest {

    private static final CurveProfile P256 = CurveProfile.p256();

    private static JsonNode load(String name) throws IOException {
        try (InputStream in = WycheproofTest.class.getResourceAsStream("/wycheproof/" + name)) {
            if (in == null) {
                throw new IOException("missing vector file " + name);
            }
            return new ObjectMapper().readTree(in);
        }
    }

    private static List<JsonNode[]> cases(JsonNode root) {
        List<JsonNode[]> out = new ArrayList<>();
        for (JsonNode g : root.get("testGroups")) {
            for (JsonNode t : g.get("tests")) {
                out.add(new JsonNode[] {g, t});
            }
        }
        assertEquals(root.get("numberOfTests").asInt(), out.size());
        return out;
    }

    private static byte[] hex(JsonNode t, String field) {
        return Hex.decode(t.get(field).asText());
    }

    private static String name(JsonNode t) {
        return "tcId " + t.get("tcId").asInt() + " " + t.get("result").asText() + " " + t.get("flags");
    }

    @TestFactory
    Stream<DynamicTest> ecdhSecp256r1() throws IOException {
        return cases(load("ecdh_secp256r1_ecpoint_test.json")).stream().map(c -> dynamicTest(name(c[1]), () -> {
            JsonNode t = c[1];
            String result = t.get("result").asText();
            SecretScalar d = SecretScalar.of(P256, new BigInteger(1, hex(t, "private")));
            if (result.equals("invalid")) {
                ProtocolException e = assertThrows(ProtocolException.class,
                        () -> Ecdh.agree(d, P256.decodePointAnyFormat(hex(t, "public"))));
                assertEquals(Reason.BAD_POINT, e.reason());
            } else {
                SecretBytes z = Ecdh.agree(d, P256.decodePointAnyFormat(hex(t, "public")));
                assertTrue(z.equalsBytes(hex(t, "shared")));
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> ecdsaSecp256r1Sha256P1363() throws IOException {
        return cases(load("ecdsa_secp256r1_sha256_p1363_test.json")).stream().map(c -> dynamicTest(name(c[1]), () -> {
            JsonNode g = c[0];
            JsonNode t = c[1];
            VerificationKey key = VerificationKey.of(P256, P256.decodePointAnyFormat(Hex.decode(g.get("publicKey").get("uncompressed").asText())));
            byte[] sig = hex(t, "sig");
            boolean ok = Ecdsa.verifyRaw(key, hex(t, "msg"), sig);
            if (t.get("result").asText().equals("valid")) {
                // the profile accepts only the low-S form: a valid high-S vector is refused and its twin accepted
                if (sig.length == 64 && new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64)).compareTo(P256.order().shiftRight(1)) > 0) {
                    assertFalse(ok);
                    assertTrue(Ecdsa.verifyRaw(key, hex(t, "msg"), org.medledger.protocol.testkit.Twins.twin(P256, sig)));
                } else {
                    assertTrue(ok);
                }
            } else {
                assertFalse(ok);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> aesGcm() throws IOException {
        return cases(load("aes_gcm_test.json")).stream().map(c -> dynamicTest(name(c[1]), () -> {
            JsonNode t = c[1];
            byte[] key = hex(t, "key");
            byte[] iv = hex(t, "iv");
            byte[] aad = hex(t, "aad");
            byte[] ctTag = Arrays.concatenate(hex(t, "ct"), hex(t, "tag"));
            if (t.get("result").asText().equals("valid")) {
                assertArrayEquals(ctTag, Aead.encrypt(key, iv, aad, hex(t, "msg")));
                assertArrayEquals(hex(t, "msg"), Aead.decrypt(key, iv, aad, ctTag));
            } else {
                ProtocolException e = assertThrows(ProtocolException.class, () -> Aead.decrypt(key, iv, aad, ctTag));
                assertEquals(Reason.DECRYPTION_FAILED, e.reason());
            }
        }));
    }
}
