package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medledger.client.ApiProblem;
import org.medledger.client.abe.AbeChainClient;
import org.medledger.client.emrauth.AccessAudit;
import org.medledger.protocol.abe.AccessPolicy;
import org.medledger.protocol.abe.AttributeKey;
import org.medledger.protocol.abe.AuthorizationLetter;
import org.medledger.protocol.abe.IbsSignature;
import org.medledger.protocol.abe.PooledKeys;
import org.medledger.protocol.abe.PublicParameters;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * ABE-CHAIN served end to end (seed 003, Fig. 3) on the real EAR with real Keycloak tokens: the
 * insurance claim — the patient's IBS-signed letter with its own ledger transaction, the hospital
 * sealing a FHIR record under the letter's policy, the endorsing node, the medical cloud — read by
 * an insurer whose token's roles satisfy the policy; refused (on the ledger) and undecryptable for
 * one whose roles do not; two insurers pooling their keys fail; forged letter signatures are refused
 * by the endorsing node; bad input on every endpoint is a 4xx that changes nothing.
 */
class AbeChainServedIT extends DeployedServer {

    static final AbeChainClient API = AbeChainParties.API;
    static final String POLICY = "insurer AND claims";

    @BeforeAll
    static void servers() throws Exception {
        ItPki.startResponder();
    }

    static String hospitalAdmin() {
        return Tokens.forUser("hospital-admin");
    }

    @Test
    void theInsuranceClaimOverHttp() throws Exception {
        PublicParameters pp = AbeChainParties.pp();
        AbeChainParties.AbePatient p = AbeChainParties.patient(pp);
        String hpc = EmrAuthParties.hospital();
        AbeChainParties.Consumer claims = AbeChainParties.consumer(pp, "insurer", "abe-claims");
        AbeChainParties.Consumer underwriting = AbeChainParties.consumer(pp, "insurer", "abe-underwriting");
        assertEquals(Set.of("insurer", "claims"), claims.key().attributes());
        assertEquals(Set.of("insurer", "underwriting"), underwriting.key().attributes());

        // Step 1: the patient authorizes "insurer AND claims" for its record at the hospital.
        AuthorizationLetter letter = p.authorize("claim-2026-117", hpc, POLICY);
        AbeChainClient.Admitted admitted = API.submitLetter(p.token(), letter.toBytes(), p.transaction(letter));
        assertEquals(letter.id(), admitted.letterId());
        ApiProblem again = assertThrows(ApiProblem.class,
                () -> API.submitLetter(p.token(), letter.toBytes(), p.transaction(letter)));
        assertEquals("LETTER_EXISTS", again.code());

        // Steps 2-5: the hospital seals the record under the letter's policy; endorsed; descriptor and address on the ledger.
        byte[] record = AbeChainParties.claimRecord(p.id());
        AbeChainClient.Stored stored = API.storeRecord(hospitalAdmin(), hpc, letter.id(), record);
        assertTrue(stored.addressLogIndex() > stored.descriptorLogIndex() && stored.descriptorLogIndex() > admitted.logIndex());
        ApiProblem twice = assertThrows(ApiProblem.class, () -> API.storeRecord(hospitalAdmin(), hpc, letter.id(), record));
        assertEquals("LETTER_ALREADY_ENDORSED", twice.code());

        // Steps 6-7: the insurer finds the record, downloads it, checks both signatures and decrypts.
        List<AbeChainClient.Listed> listed = API.records(claims.token(), p.id());
        assertEquals(1, listed.size());
        assertEquals(stored.descriptorId(), listed.get(0).descriptorId());
        assertEquals(POLICY, listed.get(0).policy());
        AbeChainClient.Released released = API.release(claims.token(), stored.descriptorId(), pp);
        assertArrayEquals(record, AbeChainClient.open(claims.key(), pp, released.record()));

        // An insurer whose roles do not satisfy the policy: refused by the cloud (on the ledger) ...
        ApiProblem refused = assertThrows(ApiProblem.class, () -> API.release(underwriting.token(), stored.descriptorId(), pp));
        assertEquals(403, refused.status());
        assertEquals("POLICY_NOT_SATISFIED", refused.code());
        // ... and, given the ciphertext anyway, its key does not open it.
        ProtocolException cannot = assertThrows(ProtocolException.class,
                () -> AbeChainClient.open(underwriting.key(), pp, released.record()));
        assertEquals(Reason.POLICY_NOT_SATISFIED, cannot.reason());

        // The patient's audit: exactly these two access entries, verified with proofs on the device.
        AccessAudit.Verified audit = AccessAudit.verify(EmrAuthParties.API.accesses(p.token(), 0), p.id(), null, 0, null);
        List<String> seen = audit.accesses().stream()
                .map(a -> a.holderId() + "|" + a.accessorId() + "|" + a.outcome() + "|" + a.reason()).toList();
        assertEquals(List.of(hpc + "|" + claims.id() + "|released|POLICY_SATISFIED",
                hpc + "|" + underwriting.id() + "|refused|POLICY_NOT_SATISFIED"), seen);
        assertEquals(released.logIndex(), audit.accesses().get(0).logIndex());
    }

    @Test
    void twoInsurersPoolingTheirKeysCannotDecrypt() throws Exception {
        PublicParameters pp = AbeChainParties.pp();
        AbeChainParties.AbePatient p = AbeChainParties.patient(pp);
        String hpc = EmrAuthParties.hospital();
        AbeChainParties.Consumer honest = AbeChainParties.consumer(pp, "insurer", "abe-claims");
        AbeChainParties.Consumer onlyInsurer = AbeChainParties.consumer(pp, "insurer");
        AbeChainParties.Consumer onlyClaims = AbeChainParties.consumer(pp, "researcher", "abe-claims");
        AuthorizationLetter letter = p.authorize("claim-collusion", hpc, POLICY);
        API.submitLetter(p.token(), letter.toBytes(), p.transaction(letter));
        byte[] record = AbeChainParties.claimRecord(p.id());
        String descriptorId = API.storeRecord(hospitalAdmin(), hpc, letter.id(), record).descriptorId();

        // Neither colluder gets the record from the cloud ...
        for (AbeChainParties.Consumer c : List.of(onlyInsurer, onlyClaims)) {
            ApiProblem e = assertThrows(ApiProblem.class, () -> API.release(c.token(), descriptorId, pp));
            assertEquals("POLICY_NOT_SATISFIED", e.code());
        }
        // ... and with the ciphertext (it is public in the scheme's model) their pooled keys fail, on either base.
        AbeChainClient.Released released = API.release(honest.token(), descriptorId, pp);
        for (AttributeKey pooled : List.of(PooledKeys.pool(onlyInsurer.key(), onlyClaims.key()),
                PooledKeys.pool(onlyClaims.key(), onlyInsurer.key()))) {
            assertTrue(AccessPolicy.parse(POLICY).isSatisfiedBy(pooled.attributes()), "the pooled key names both attributes");
            ProtocolException e = assertThrows(ProtocolException.class, () -> AbeChainClient.open(pooled, pp, released.record()));
            assertEquals(Reason.DECRYPTION_FAILED, e.reason());
            // The receipt check on a key refuses the pooled key outright.
            byte[] encoded = pooled.toBytes();
            ProtocolException refused = assertThrows(ProtocolException.class, () -> AttributeKey.decode(pp, encoded));
            assertEquals(Reason.BAD_PARTIAL_KEY, refused.reason());
        }
        assertArrayEquals(record, AbeChainClient.open(honest.key(), pp, released.record()));
    }

    @Test
    void forgedLetterSignaturesAreRefusedByTheEndorsingNode() throws Exception {
        PublicParameters pp = AbeChainParties.pp();
        AbeChainParties.AbePatient p = AbeChainParties.patient(pp);
        AbeChainParties.AbePatient other = AbeChainParties.patient(pp);
        String hpc = EmrAuthParties.hospital();
        AuthorizationLetter honest = p.authorize("claim-forged", hpc, POLICY);
        IbsSignature s = honest.patientSignature();

        // Widened policy under the old signature; a letter for p signed with another patient's key;
        // a signature with a component from another signature (mixed); the signer's name swapped.
        AuthorizationLetter widened = new AuthorizationLetter(honest.descriptor(), AccessPolicy.parse("insurer OR claims"),
                honest.issuedAt(), honest.expiresAt(), s);
        AuthorizationLetter byOther = other.party().authorize(
                new org.medledger.protocol.abe.RecordDescriptor("claim-forged", other.id(), hpc, "x"), POLICY,
                java.time.Duration.ofDays(1));
        IbsSignature otherSig = byOther.patientSignature();
        AuthorizationLetter signedByOther = new AuthorizationLetter(honest.descriptor(), honest.policy(), honest.issuedAt(),
                honest.expiresAt(), new IbsSignature(s.identity(), otherSig.s0(), otherSig.s1(), otherSig.s2(), otherSig.s3()));
        AuthorizationLetter mixed = new AuthorizationLetter(honest.descriptor(), honest.policy(), honest.issuedAt(),
                honest.expiresAt(), new IbsSignature(s.identity(), s.s0(), s.s1(), otherSig.s2(), s.s3()));
        AuthorizationLetter renamed = new AuthorizationLetter(honest.descriptor(), honest.policy(), honest.issuedAt(),
                honest.expiresAt(), otherSig);
        long before = treeSize();
        for (AuthorizationLetter forged : List.of(widened, signedByOther, mixed, renamed)) {
            ApiProblem e = assertThrows(ApiProblem.class, () -> API.submitLetter(p.token(), forged.toBytes(), p.transaction(forged)));
            assertEquals(403, e.status());
            assertEquals("BAD_SIGNATURE", e.code(), forged.toString());
            // Not in the pool: the hospital cannot seal a record under it.
            ApiProblem none = assertThrows(ApiProblem.class,
                    () -> API.storeRecord(hospitalAdmin(), hpc, forged.id(), AbeChainParties.claimRecord(p.id())));
            assertEquals("UNKNOWN_LETTER", none.code());
        }
        assertEquals(before, treeSize(), "nothing reached the ledger");
        // The honest letter still goes through.
        API.submitLetter(p.token(), honest.toBytes(), p.transaction(honest));
    }

    /** The claim with the command-line client, every party's part: patient, hospital administrator, demo insurer. */
    @Test
    void theClaimWithTheCommandLineClient(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String hpc = EmrAuthParties.hospital();
        String patient = EmrAuthParties.unique("abe-cli-patient");
        KeycloakAdmin.createUser(patient, "patient");
        KeycloakAdmin.setPassword(patient, patient + "-pw");
        byte[] record = AbeChainParties.claimRecord(patient);
        java.nio.file.Path recordFile = java.nio.file.Files.write(dir.resolve("bundle.json"), record);
        String[] server = {"--api", ItConfig.api(), "--keycloak", ItConfig.keycloak()};
        java.util.Map<String, String> patientEnv = java.util.Map.of("MEDLEDGER_PASSWORD", patient + "-pw",
                "MEDLEDGER_DEVICE_PASSWORD", "patient-device-pw");
        java.util.Map<String, String> admin = java.util.Map.of("MEDLEDGER_PASSWORD", "hospital-admin-demo");
        java.util.Map<String, String> insurer = java.util.Map.of("MEDLEDGER_PASSWORD", "insurer-demo",
                "MEDLEDGER_DEVICE_PASSWORD", "insurer-device-pw");
        String patientStore = dir.resolve("patient.p12").toString();
        String store = dir.resolve("insurer.p12").toString();

        // The patient: EMR-AUTH registration (its keys certified, ledger member), its IBS key, the signed letter.
        var registered = org.medledger.client.cli.CliRunner.run(patientEnv, concat(server, "register", "--role", "patient",
                "--user", patient, "--store", patientStore));
        assertEquals(0, registered.code(), registered.err());
        var patientKey = org.medledger.client.cli.CliRunner.run(patientEnv, concat(server, "abe", "key", "--user", patient,
                "--role", "patient", "--store", patientStore));
        assertEquals(0, patientKey.code(), patientKey.err());
        var authorized = org.medledger.client.cli.CliRunner.run(patientEnv, concat(server, "abe", "authorize", "--user", patient,
                "--store", patientStore, "--hospital", hpc, "--record-id", "claim-cli", "--policy", POLICY, "--days", "2"));
        assertEquals(0, authorized.code(), authorized.err());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("letter ([0-9a-f]{64})").matcher(authorized.out());
        assertTrue(m.find(), authorized.out());
        String letterId = m.group(1);

        var stored = org.medledger.client.cli.CliRunner.run(admin, concat(server, "abe", "store", "--user", "hospital-admin",
                "--hospital", hpc, "--letter", letterId, "--record", recordFile.toString()));
        assertEquals(0, stored.code(), stored.err());
        var key = org.medledger.client.cli.CliRunner.run(insurer, concat(server, "abe", "key", "--user", "insurer", "--role",
                "insurer", "--store", store));
        assertEquals(0, key.code(), key.err());
        assertTrue(key.out().contains("[claims, insurer]") || key.out().contains("[insurer, claims]"), key.out());
        var listed = org.medledger.client.cli.CliRunner.run(insurer, concat(server, "abe", "records", "--user", "insurer",
                "--patient", patient));
        assertEquals(0, listed.code(), listed.err());
        String descriptorId = listed.out().split("\\s+")[0];
        java.nio.file.Path out = dir.resolve("claim.json");
        var claim = org.medledger.client.cli.CliRunner.run(insurer, concat(server, "abe", "claim", "--user", "insurer",
                "--descriptor", descriptorId, "--store", store, "--out", out.toString()));
        assertEquals(0, claim.code(), claim.err());
        assertTrue(claim.out().contains("signatures verified"), claim.out());
        assertArrayEquals(record, java.nio.file.Files.readAllBytes(out));
    }

    static String[] concat(String[] server, String... args) {
        String[] all = Arrays.copyOf(args, args.length + server.length);
        System.arraycopy(server, 0, all, args.length, server.length);
        return all;
    }

    static long treeSize() {
        return Http.json(Http.get("/ledger/tree-head", null)).getJsonNumber("treeSize").longValue();
    }

    /** One bad request: who sends it, where, what; the expected status and problem code. */
    record Bad(String name, String method, String path, String token, String body, int status, String code) {
    }

    @Test
    void badInputOnEveryEndpointIsA4xxAndChangesNothing() throws Exception {
        PublicParameters pp = AbeChainParties.pp();
        AbeChainParties.AbePatient p = AbeChainParties.patient(pp);
        AbeChainParties.AbePatient p2 = AbeChainParties.patient(pp);
        String hpc = EmrAuthParties.hospital();
        AbeChainParties.Consumer insurer = AbeChainParties.consumer(pp, "insurer", "abe-claims");
        String admin = hospitalAdmin();
        String otherAdminId = EmrAuthParties.unique("abe-admin");
        KeycloakAdmin.createUser(otherAdminId, "hospital-admin");
        KeycloakAdmin.setPassword(otherAdminId, otherAdminId + "-demo");
        String otherAdmin = Tokens.forUser(otherAdminId);
        // One endorsed record to aim at.
        AuthorizationLetter ok = p.authorize("claim-bad-input", hpc, POLICY);
        API.submitLetter(p.token(), ok.toBytes(), p.transaction(ok));
        String descriptorId = API.storeRecord(admin, hpc, ok.id(), AbeChainParties.claimRecord(p.id())).descriptorId();

        AuthorizationLetter fresh = p.authorize("claim-bad-input-2", hpc, POLICY);
        byte[] letter = fresh.toBytes();
        byte[] tx = p.transaction(fresh);
        int n = letter.length;
        byte[] badG1 = letter.clone();                       // S3 (G1, last 48 bytes): x ≥ p
        Arrays.fill(badG1, n - 48, n, (byte) 0xff);
        badG1[n - 48] = (byte) 0x9f;
        byte[] notOnCurveG1 = letter.clone();                // S3: x = 1 (not on the curve; compressed flag)
        Arrays.fill(notOnCurveG1, n - 48, n, (byte) 0);
        notOnCurveG1[n - 48] = (byte) 0x80;
        notOnCurveG1[n - 1] = 1;
        byte[] offSubgroupG1 = letter.clone();               // S3: on the curve, outside the order-r subgroup
        System.arraycopy(g1PointOutsideTheSubgroup(), 0, offSubgroupG1, n - 48, 48);
        byte[] badG2 = letter.clone();                       // S2 (G2, 96 bytes before S3's length and S3)
        Arrays.fill(badG2, n - 48 - 4 - 96, n - 48 - 4, (byte) 0);
        badG2[n - 48 - 4 - 96] = (byte) 0x80;
        byte[] truncated = Arrays.copyOf(letter, n - 10);
        byte[] otherTx = p.transaction(p.authorize("claim-other", hpc, POLICY));
        AuthorizationLetter unknownHospital = p.authorize("claim-x", "no-such-hospital", POLICY);
        String kem = b64(org.medledger.protocol.common.KemKeyPair.generate(EmrAuthParties.CURVE, EmrAuthParties.RANDOM)
                .publicKey().encoded());
        byte[] offCurve = new byte[33];                      // P-256 x ≥ p
        Arrays.fill(offCurve, (byte) 0xff);
        offCurve[0] = 0x02;
        String unknownId = "0".repeat(64);
        String fhir = b64(AbeChainParties.claimRecord(p.id()));
        String big = "{\"letter\":\"" + "A".repeat(300 * 1024) + "\",\"transaction\":\"\"}";

        List<Bad> table = List.of(
                new Bad("no token", "GET", "/abe-chain/public-parameters", null, null, 401, "UNAUTHENTICATED"),
                new Bad("attribute key: wrong role", "POST", "/abe-chain/keys/attributes", p.token(), kemBody(kem), 403, "FORBIDDEN_ROLE"),
                new Bad("attribute key: malformed JSON", "POST", "/abe-chain/keys/attributes", insurer.token(), "{\"kemKey\":", 400, "MALFORMED_JSON"),
                new Bad("attribute key: attributes in the request", "POST", "/abe-chain/keys/attributes", insurer.token(),
                        "{\"kemKey\":\"" + kem + "\",\"attributes\":[\"claims\",\"oncology\"]}", 400, "UNKNOWN_FIELD"),
                new Bad("attribute key: not base64", "POST", "/abe-chain/keys/attributes", insurer.token(), kemBody("%%%"), 400, "INVALID_BASE64"),
                new Bad("attribute key: point off the curve", "POST", "/abe-chain/keys/attributes", insurer.token(), kemBody(b64(offCurve)), 400, "BAD_POINT"),
                new Bad("identity key: wrong role", "POST", "/abe-chain/keys/identity", insurer.token(), kemBody(kem), 403, "FORBIDDEN_ROLE"),
                new Bad("identity key: uncertified KEM key", "POST", "/abe-chain/keys/identity", p.token(), kemBody(kem), 403, "KEY_NOT_CERTIFIED"),
                new Bad("letter: wrong role", "POST", "/abe-chain/letters", insurer.token(), letterBody(letter, tx), 403, "FORBIDDEN_ROLE"),
                new Bad("letter: garbage", "POST", "/abe-chain/letters", p.token(), letterBody(new byte[]{1, 2, 3}, tx), 400, "MALFORMED_MESSAGE"),
                new Bad("letter: truncated", "POST", "/abe-chain/letters", p.token(), letterBody(truncated, tx), 400, "MALFORMED_MESSAGE"),
                new Bad("letter: G1 coordinate ≥ p", "POST", "/abe-chain/letters", p.token(), letterBody(badG1, tx), 400, "BAD_POINT"),
                new Bad("letter: G1 point off the curve", "POST", "/abe-chain/letters", p.token(), letterBody(notOnCurveG1, tx), 400, "BAD_POINT"),
                new Bad("letter: G1 point outside the subgroup", "POST", "/abe-chain/letters", p.token(), letterBody(offSubgroupG1, tx), 400, "BAD_POINT"),
                new Bad("letter: G2 point off the curve", "POST", "/abe-chain/letters", p.token(), letterBody(badG2, tx), 400, "BAD_POINT"),
                new Bad("letter: another letter's transaction", "POST", "/abe-chain/letters", p.token(), letterBody(letter, otherTx), 400, "LETTER_TRANSACTION_MISMATCH"),
                new Bad("letter: transaction garbage", "POST", "/abe-chain/letters", p.token(), letterBody(letter, new byte[]{9, 9}), 400, "INVALID_TRANSACTION"),
                new Bad("letter: another patient's letter", "POST", "/abe-chain/letters", p2.token(), letterBody(letter, tx), 403, "NOT_OWN_IDENTITY"),
                new Bad("letter: unknown hospital", "POST", "/abe-chain/letters", p.token(),
                        letterBody(unknownHospital.toBytes(), p.transaction(unknownHospital)), 404, "UNKNOWN_HOSPITAL"),
                new Bad("letter: oversized body", "POST", "/abe-chain/letters", p.token(), big, 413, "BODY_TOO_LARGE"),
                new Bad("record: wrong role", "POST", "/abe-chain/hospitals/" + hpc + "/records", insurer.token(), recordBody(fresh.id(), fhir), 403, "FORBIDDEN_ROLE"),
                new Bad("record: another hospital's administrator", "POST", "/abe-chain/hospitals/" + hpc + "/records",
                        otherAdmin, recordBody(fresh.id(), fhir), 403, "NOT_HOSPITAL_ADMIN"),
                new Bad("record: malformed hospital id", "POST", "/abe-chain/hospitals/a%20b/records", admin, recordBody(fresh.id(), fhir), 400, "INVALID_PARTY_ID"),
                new Bad("record: unknown hospital", "POST", "/abe-chain/hospitals/no-such-hospital/records", admin, recordBody(fresh.id(), fhir), 404, "UNKNOWN_HOSPITAL"),
                new Bad("record: malformed letter id", "POST", "/abe-chain/hospitals/" + hpc + "/records", admin, recordBody("xyz", fhir), 400, "INVALID_ID"),
                new Bad("record: unknown letter", "POST", "/abe-chain/hospitals/" + hpc + "/records", admin, recordBody(unknownId, fhir), 404, "UNKNOWN_LETTER"),
                new Bad("record: not FHIR", "POST", "/abe-chain/hospitals/" + hpc + "/records", admin,
                        recordBody(ok.id(), b64("not a record".getBytes())), 400, null),
                new Bad("records: wrong role", "GET", "/abe-chain/records", admin, null, 403, "FORBIDDEN_ROLE"),
                new Bad("records: malformed patient id", "GET", "/abe-chain/records?patientId=a%20b", insurer.token(), null, 400, "INVALID_PARTY_ID"),
                new Bad("release: wrong role", "POST", "/abe-chain/records/" + descriptorId + "/release", p.token(), "{}", 403, "FORBIDDEN_ROLE"),
                new Bad("release: malformed id", "POST", "/abe-chain/records/not-an-id/release", insurer.token(), "{}", 400, "INVALID_ID"),
                new Bad("release: unknown id", "POST", "/abe-chain/records/" + unknownId + "/release", insurer.token(), "{}", 404, "UNKNOWN_RECORD"));

        long size = treeSize();
        List<AbeChainClient.Listed> records = API.records(insurer.token(), null);
        List<String> failures = new ArrayList<>();
        for (Bad b : table) {
            HttpResponse<String> r = b.method().equals("GET") ? Http.get(b.path(), b.token()) : Http.postJson(b.path(), b.token(), b.body());
            JsonObject problem = r.body().isEmpty() ? Json.createObjectBuilder().build() : Http.json(r);
            if (r.statusCode() != b.status() || (b.code() != null && !b.code().equals(problem.getString("code", "")))
                    || problem.containsKey("stackTrace")) {
                failures.add(b.name() + ": " + r.statusCode() + " " + r.body());
            }
        }
        assertEquals(List.of(), failures);
        assertEquals(size, treeSize(), "no bad request reached the ledger");
        assertEquals(records, API.records(insurer.token(), null), "the medical cloud is unchanged");
        // The pool is unchanged: the letter refused above was never admitted, so it is still accepted now.
        API.submitLetter(p.token(), letter, tx);
    }

    /**
     * A compressed BLS12-381 G1 encoding of a point on y² = x³ + 4 with the smallest x for which
     * x³ + 4 is a square mod p; the cofactor is ≈ 2^126, so it lies outside the order-r subgroup.
     */
    static byte[] g1PointOutsideTheSubgroup() {
        java.math.BigInteger p = new java.math.BigInteger("1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab", 16);
        java.math.BigInteger half = p.subtract(java.math.BigInteger.ONE).shiftRight(1);
        for (long x = 1; ; x++) {
            java.math.BigInteger bx = java.math.BigInteger.valueOf(x);
            java.math.BigInteger rhs = bx.pow(3).add(java.math.BigInteger.valueOf(4)).mod(p);
            if (rhs.modPow(half, p).equals(java.math.BigInteger.ONE)) {
                byte[] raw = bx.toByteArray();
                byte[] out = new byte[48];
                System.arraycopy(raw, 0, out, 48 - raw.length, raw.length);
                out[0] |= (byte) 0x80;
                return out;
            }
        }
    }

    static String kemBody(String kem) {
        return Json.createObjectBuilder().add("kemKey", kem).build().toString();
    }

    static String letterBody(byte[] letter, byte[] tx) {
        return Json.createObjectBuilder().add("letter", b64(letter)).add("transaction", b64(tx)).build().toString();
    }

    static String recordBody(String letterId, String record) {
        return Json.createObjectBuilder().add("letterId", letterId).add("record", record).build().toString();
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
