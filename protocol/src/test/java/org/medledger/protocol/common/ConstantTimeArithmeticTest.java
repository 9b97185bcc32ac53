package org.medledger.protocol.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.math.ec.ECConstantTimeMultiplier;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.junit.jupiter.api.Test;
import org.medledger.protocol.pairing.FixedRandom;

/**
 * Long-term (and ephemeral) secret scalars only in constant-time arithmetic: which multiplier
 * each path uses, that nothing in the protocol multiplies a revealed secret itself, and the
 * results against published known answers (RFC 6979 A.2.5/A.2.6 key pairs; the Wycheproof
 * ECDH vectors run through {@link Ecdh#agree}, i.e. {@link SecretScalar#multiply}, in
 * {@code WycheproofTest}).
 */
class ConstantTimeArithmeticTest {

    /** RFC 6979 A.2.5 (P-256) and A.2.6 (P-384): private key x and public key U = x·G. */
    private static final String[][] RFC6979_KEYS = {
        {"P-256", "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721",
            "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6",
            "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299"},
        {"P-384", "6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D896D5724E4C70A825F872C9EA60D2EDF5",
            "EC3A4E415B4E19A4568618029F427FA5DA9A8BC4AE92E02E06AAE5286B300C64DEF8F0EA9055866064A254515480BC13",
            "8015D9B72D7D57244EA8EF9AC0C621896708A59367F9DFB9F54CA84B3F1C9DB1288B231C3AE0D4FE7344FD2533264720"},
    };

    @Test
    void secretScalarsUseTheCombForTheGeneratorAndTheConstantTimeMultiplierOtherwise() {
        for (CurveProfile c : List.of(CurveProfile.p256(), CurveProfile.p384())) {
            assertInstanceOf(FixedPointCombMultiplier.class, c.fixedBaseMultiplier(), c.name());
            assertInstanceOf(ECConstantTimeMultiplier.class, c.secretMultiplier(), c.name());
        }
    }

    @Test
    void publicPointAndVariableBaseMultiplyMatchRfc6979KeyPairs() throws ProtocolException {
        for (String[] v : RFC6979_KEYS) {
            CurveProfile c = CurveProfile.named(v[0]);
            SecretScalar x = SecretScalar.of(c, new BigInteger(v[1], 16));
            ECPoint expected = c.curve().createPoint(new BigInteger(v[2], 16), new BigInteger(v[3], 16));
            assertEquals(expected, x.publicPoint(), v[0] + " comb");
            // G as a freshly decoded point: no comb table, so the constant-time window multiplier runs
            ECPoint freshG = c.decodePoint(c.encodePoint(c.generator()));
            assertEquals(expected, x.multiply(freshG), v[0] + " variable base");
        }
    }

    @Test
    void sumOfTwoSecretMultipliesIsTheSumOfTheProducts() throws ProtocolException {
        CurveProfile c = CurveProfile.p256();
        SecretScalar x = SecretScalar.of(c, new BigInteger(RFC6979_KEYS[0][1], 16));
        SecretScalar two = SecretScalar.of(c, BigInteger.TWO);
        ECPoint g = c.decodePoint(c.encodePoint(c.generator()));
        ECPoint u = x.publicPoint();
        // x·G + 2·U = 3·U, with U the RFC 6979 public key
        assertEquals(u.add(u).add(u).normalize(), SecretScalar.sumOfTwoMultiplies(x, g, two, u));
    }

    @Test
    void partialKeyIsIssuedWithTheModularArithmeticOfTheCurveOrder() throws ProtocolException {
        CurveProfile c = CurveProfile.p256();
        BigInteger n = c.order();
        SecretScalar s = SecretScalar.of(c, n.subtract(BigInteger.ONE));
        SecretScalar r = SecretScalar.of(c, n.subtract(BigInteger.TWO));
        // (n−2) + 3·(n−1) ≡ −5 (mod n): both the product and the sum wrap
        assertEquals(n.subtract(BigInteger.valueOf(5)), r.plusProduct(BigInteger.valueOf(3), s).reveal());
        // h is reduced: h = n + 1 acts as 1
        assertEquals(n.subtract(BigInteger.valueOf(3)), r.plusProduct(n.add(BigInteger.ONE), s).reveal());
        // S·P = R + h·PK for a partial key issued by the master secret
        SecureRandom random = FixedRandom.seeded(16);
        MasterSecret master = MasterSecret.generate(c, random);
        BigInteger h = c.randomScalar(random);
        PartialKey issued = master.issuePartialKey(random, point -> h);
        PartialKey.verify(master.publicKey(), issued.publicPoint(), issued.secret(), h);
    }

    @Test
    void aZeroSumIsRefused() throws ProtocolException {
        CurveProfile c = CurveProfile.p256();
        SecretScalar one = SecretScalar.of(c, BigInteger.ONE);
        SecretScalar minusOne = SecretScalar.of(c, c.order().subtract(BigInteger.ONE));
        assertEquals(Reason.BAD_SCALAR, org.junit.jupiter.api.Assertions.assertThrows(ProtocolException.class,
                () -> one.plusProduct(BigInteger.ONE, minusOne)).reason());
    }

    /**
     * ECDSA signing and HPKE decapsulation hand the scalar to Bouncy Castle, whose 1.86
     * {@code ECDSASigner} computes {@code k·G} with the comb and {@code s} with
     * {@code BigIntegers.modMult}/{@code modOddInverse}, and whose {@code ECDHCBasicAgreement}
     * (DHKEM) multiplies through {@code ECAlgorithms.multiplySecret}. Older versions used wNAF
     * and {@code BigInteger} arithmetic there: this pins the version.
     */
    @Test
    void bouncyCastleHasTheConstantTimeEcdhAndEcdsa() {
        String[] version = new BouncyCastleProvider().getVersionStr().split("\\.");
        int major = Integer.parseInt(version[0]);
        int minor = Integer.parseInt(version[1]);
        assertTrue(major > 1 || minor >= 86, "Bouncy Castle " + String.join(".", version) + " is older than 1.86");
    }

    /**
     * No protocol code computes with a revealed secret itself: a secret scalar is multiplied
     * only inside {@link SecretScalar} (the lines it reveals to Bouncy Castle's constant-time
     * ECDSA and HPKE construct key parameters, nothing else).
     */
    @Test
    void noProtocolCodeMultipliesARevealedSecret() throws IOException {
        Pattern arithmetic = Pattern.compile(
                "reveal\\(\\).*(multiply|sumOfTwoMultiplies|multiplyGenerator|modPow|modInverse|\\.mod\\()"
                + "|(multiply|sumOfTwoMultiplies|multiplyGenerator|modPow|modInverse|\\.mod)\\([^;]*reveal\\(\\)");
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                if (f.endsWith("SecretScalar.java")) {
                    continue;
                }
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    if (arithmetic.matcher(lines.get(i)).find()) {
                        offenders.add(f + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertEquals(List.of(), offenders);
    }
}
