package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.contract.seeds.GroupAggContract;
import org.medledger.ledger.contract.seeds.GroupAggTransactions;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.TxBody;
import org.medledger.protocol.group.AuthenticationMessage;
import org.medledger.protocol.group.ChebyshevParameters;
import org.medledger.protocol.group.ChebyshevValue;
import org.medledger.protocol.group.MemberKeyBinding;
import org.medledger.protocol.group.RecordKind;
import org.medledger.protocol.group.RecordProducer;
import org.medledger.protocol.group.UploadRecord;

/**
 * Bad input on every GROUP-AGG endpoint, table-driven: malformed encodings, invalid group
 * elements, oversized bodies, unknown ids, wrong roles, another patient's circle, forged or
 * mismatched transactions and messages. Each gets its 4xx with the expected problem code, and
 * nothing changes: the circles' epochs, rosters and relayed messages, the ledger's size and the
 * newcomer's (absent) member key are the same before and after every row.
 */
class GroupAggHardeningIT extends DeployedServer {

    static final Base64.Encoder B64 = Base64.getEncoder();
    static final ChebyshevParameters PARAMS = ChebyshevParameters.modp2048();

    static String hpc;
    static GroupAggParties.Member p;
    static GroupAggParties.Member q;
    static GroupAggParties.Member f;
    static GroupAggParties.Member g;
    static String h;
    static String gid;
    static String gidQ;
    static byte[] acceptedPhr;

    @BeforeAll
    static void circles() throws Exception {
        ItPki.startResponder();
        hpc = EmrAuthParties.hospital();
        p = GroupAggParties.patient();
        q = GroupAggParties.patient();
        f = GroupAggParties.family();
        g = GroupAggParties.family();
        h = EmrAuthParties.unique("ga-newcomer");
        KeycloakAdmin.createUser(h, "family");
        KeycloakAdmin.setPassword(h, h + "-demo");
        gid = p.device().openCircle(p.token(), hpc, utf8("PHR"), utf8("opening"));
        p.device().add(p.token(), gid, f.id(), f.device().publicKey());
        gidQ = q.device().openCircle(q.token(), hpc, utf8("PHR"), utf8("Q's opening"));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String b64(byte[] b) {
        return B64.encodeToString(b);
    }

    /** A signed PHR upload of {@code m} (a patient) for {@code group}, addressed to {@code receiver}. */
    static org.medledger.ledger.tx.Transaction phr(GroupAggParties.Member m, String group, String receiver, byte[] brief) {
        return phr(m, group, receiver, brief, Clock.systemUTC());
    }

    static org.medledger.ledger.tx.Transaction phr(GroupAggParties.Member m, String group, String receiver, byte[] brief, Clock clock) {
        UploadRecord r = new RecordProducer(m.id(), m.keys(), clock, EmrAuthParties.RANDOM).produce(RecordKind.PHR, receiver,
                m.keys().kemPublic(), brief, utf8("sensitive"));
        return GroupAggTransactions.upload(m.id(), r, group, System.currentTimeMillis(), EmrAuthParties.RANDOM.nextLong()).sign(m.ledgerKey());
    }

    static String tx(org.medledger.ledger.tx.Transaction t) {
        return Json.createObjectBuilder().add("transaction", b64(t.encode())).build().toString();
    }

    static String join(GroupAggParties.Member owner, String group, String member, String keyDigest, long epoch) {
        return tx(GroupAggTransactions.join(owner.id(), group, member, keyDigest, epoch, System.currentTimeMillis(),
                EmrAuthParties.RANDOM.nextLong()).sign(owner.ledgerKey()));
    }

    static String leave(GroupAggParties.Member by, String group, String member, long epoch) {
        return tx(GroupAggTransactions.leave(by.id(), group, member, epoch, System.currentTimeMillis(), EmrAuthParties.RANDOM.nextLong())
                .sign(by.ledgerKey()));
    }

    /** A value of [2, p-2] whose y²−1 is not a square (not T_k(x) for any k). */
    static BigInteger nonResidue() {
        BigInteger pp = PARAMS.p();
        BigInteger e = pp.subtract(BigInteger.ONE).shiftRight(1);
        for (long y = 3; ; y++) {
            BigInteger v = BigInteger.valueOf(y);
            if (v.multiply(v).subtract(BigInteger.ONE).modPow(e, pp).equals(pp.subtract(BigInteger.ONE))) {
                return v;
            }
        }
    }

    /** A value whose y²−1 is a square but whose u = y + √(y²−1) has order 2q (it would leak an exponent's parity). */
    static BigInteger outsideSubgroup() {
        BigInteger pp = PARAMS.p();
        BigInteger e = pp.subtract(BigInteger.ONE).shiftRight(1);
        for (long y = 3; ; y++) {
            BigInteger v = BigInteger.valueOf(y);
            boolean square = v.multiply(v).subtract(BigInteger.ONE).modPow(e, pp).equals(BigInteger.ONE);
            boolean inSubgroup = v.add(BigInteger.ONE).shiftLeft(1).mod(pp).modPow(e, pp).equals(BigInteger.ONE);
            if (square && !inSubgroup) {
                return v;
            }
        }
    }

    static String keyBody(byte[] publicKey, byte[] ledgerKey, byte[] signature) {
        var b = Json.createObjectBuilder().add("publicKey", b64(publicKey)).add("signature", b64(signature));
        if (ledgerKey != null) {
            b.add("ledgerKey", b64(ledgerKey));
        }
        return b.build().toString();
    }

    /** The true root of y² − 1 (y² − 1 must be a square). */
    static BigInteger root(BigInteger y) {
        BigInteger pp = PARAMS.p();
        return y.multiply(y).subtract(BigInteger.ONE).mod(pp).modPow(pp.add(BigInteger.ONE).shiftRight(2), pp);
    }

    /** A value with a root that does not square to y² − 1. */
    static ChebyshevValue wrongRoot(BigInteger y) {
        return new ChebyshevValue(y, BigInteger.ONE);
    }

    /** A pairwise request of F to P whose T_r(x) is {@code tR} (encoded at full length). */
    static String request(String from, String to, ChebyshevValue tR, long epoch) {
        byte[] body = AuthenticationMessage.request(from, to, new byte[48], tR, new byte[32]).toBytes(PARAMS);
        return message(epoch, "request", to, body);
    }

    static String message(long epoch, String kind, String to, byte[] body) {
        return Json.createObjectBuilder().add("epoch", epoch).add("kind", kind).add("to", to).add("body", b64(body)).build().toString();
    }

    record Row(String name, String method, String path, Supplier<String> token, String body, int status, String code) {
    }

    static Row post(String name, String path, Supplier<String> token, String body, int status, String code) {
        return new Row(name, "POST", path, token, body, status, code);
    }

    static Row get(String name, String path, Supplier<String> token, int status, String code) {
        return new Row(name, "GET", path, token, null, status, code);
    }

    /** What must not change: both circles' epochs, rosters and P's/F's relayed messages, the ledger's size, H's member key. */
    static String state() {
        StringBuilder s = new StringBuilder();
        for (var who : List.of(p, f)) {
            s.append(Http.get("/group/circles/" + gid + "/run", who.token()).body()).append('\n');
        }
        s.append(Http.get("/group/circles/" + gidQ + "/run", q.token()).body()).append('\n');
        s.append(Http.get("/ledger/tree-head", null).body()).append('\n');
        s.append(Http.get("/group/member-keys/" + h, p.token()).statusCode()).append('\n');
        return s.toString();
    }

    @Test
    void badInputGetsA4xxAndChangesNothing() throws Exception {
        Supplier<String> pT = p.tokens();
        Supplier<String> qT = q.tokens();
        Supplier<String> fT = f.tokens();
        Supplier<String> gT = g.tokens();
        Supplier<String> hT = GroupAggParties.cached(() -> Tokens.forUser(h));
        Supplier<String> admin = GroupAggParties.cached(() -> Tokens.forUser("hospital-admin"));
        Supplier<String> auditor = GroupAggParties.cached(() -> Tokens.forUser("auditor"));

        // a valid member key of H, signed by a key that is not the ledger key it presents
        byte[] hKey = GroupAggParties.T.ofBaseValue(BigInteger.valueOf(123456789)).encode(PARAMS);
        ChebyshevValue valid = GroupAggParties.T.ofBaseValue(BigInteger.TEN);
        ChebyshevValue outside = new ChebyshevValue(outsideSubgroup(), root(outsideSubgroup()));
        var hLedger = P256SignatureScheme.generate(EmrAuthParties.RANDOM);
        var other = P256SignatureScheme.generate(EmrAuthParties.RANDOM);
        byte[] goodSig = hLedger.sign(MemberKeyBinding.message(h, hKey));
        String unknownGid = HexFormat.of().formatHex(new byte[16]);
        String fresh = HexFormat.of().formatHex(utf8("fresh-circle-id!"));
        String circle = "/group/circles/" + gid;
        String run = circle + "/run/messages";
        String fDigest = MemberKeyBinding.digest(f.device().publicKey());
        String gDigest = MemberKeyBinding.digest(g.device().publicKey());
        // a PHR whose transaction says another brief than its record
        UploadRecord r = new RecordProducer(p.id(), p.keys(), Clock.systemUTC(), EmrAuthParties.RANDOM).produce(RecordKind.PHR,
                "group:" + gid, p.keys().kemPublic(), utf8("brief"), utf8("sensitive"));
        TxBody honest = GroupAggTransactions.upload(p.id(), r, gid, System.currentTimeMillis(), 1);
        Arguments.Builder lying = Arguments.builder();
        honest.args().values().forEach((k, v) -> lying.put(k, k.equals("brief") ? Bytes.of(utf8("another brief")) : v));
        String mismatched = tx(new TxBody(p.id(), GroupAggContract.NAME, "upload", lying.build(), honest.timestamp(), 2).sign(p.ledgerKey()));
        String garbageRecord = tx(new TxBody(p.id(), GroupAggContract.NAME, "upload", Arguments.builder().put("kind", "PHR")
                .put("record", Bytes.of(utf8("not a record"))).build(), System.currentTimeMillis(), 3).sign(p.ledgerKey()));
        String oversized = "{\"transaction\":\"" + "A".repeat(300_000) + "\"}";

        // an accepted PHR, replayed by the first row (within the 30 s window, so the replay cache answers)
        acceptedPhr = phr(p, gid, "group:" + gid, utf8("week 2")).encode();
        GroupAggParties.API.upload(p.token(), gid, org.medledger.ledger.tx.Transaction.decode(acceptedPhr));
        String stale = tx(phr(p, gid, "group:" + gid, utf8("old"), Clock.offset(Clock.systemUTC(), java.time.Duration.ofMinutes(-5))));

        List<Row> rows = Stream.of(
                post("upload: replayed PHR", circle + "/uploads", pT, "{\"transaction\":\"" + b64(acceptedPhr) + "\"}", 409, "REPLAY"),
                post("upload: stale PHR", circle + "/uploads", pT, stale, 400, "STALE_TIMESTAMP"),
                // member keys
                post("key: wrong length", "/group/member-keys", hT, keyBody(new byte[10], hLedger.publicKey(), goodSig), 400, "INVALID_GROUP_ELEMENT"),
                post("key: root does not square to y²-1", "/group/member-keys", hT, keyBody(wrongRoot(valid.y()).encode(PARAMS), hLedger.publicKey(), goodSig), 400, "INVALID_GROUP_ELEMENT"),
                post("key: 1 is outside [2, p-2]", "/group/member-keys", hT, keyBody(wrongRoot(BigInteger.ONE).encode(PARAMS), hLedger.publicKey(), goodSig), 400, "INVALID_GROUP_ELEMENT"),
                post("key: y²-1 not a square", "/group/member-keys", hT, keyBody(wrongRoot(nonResidue()).encode(PARAMS), hLedger.publicKey(), goodSig), 400, "INVALID_GROUP_ELEMENT"),
                post("key: outside the order-q subgroup", "/group/member-keys", hT, keyBody(outside.encode(PARAMS), hLedger.publicKey(), goodSig), 400, "INVALID_GROUP_ELEMENT"),
                post("key: not base64", "/group/member-keys", hT, "{\"publicKey\":\"%%%\",\"ledgerKey\":\"AA==\",\"signature\":\"AA==\"}", 400, "INVALID_BASE64"),
                post("key: signed by another key", "/group/member-keys", hT, keyBody(hKey, hLedger.publicKey(), other.sign(MemberKeyBinding.message(h, hKey))), 403, "BAD_SIGNATURE"),
                post("key: ledger key not a point", "/group/member-keys", hT, keyBody(hKey, new byte[33], goodSig), 400, "INVALID_KEY"),
                post("key: family without ledger key", "/group/member-keys", hT, keyBody(hKey, null, goodSig), 400, "MISSING_FIELD"),
                post("key: wrong role", "/group/member-keys", admin, keyBody(hKey, null, goodSig), 403, "FORBIDDEN_ROLE"),
                post("key: registered twice", "/group/member-keys", pT, keyBody(p.device().publicKey(), null, goodSig), 409, "ALREADY_REGISTERED"),
                post("key: malformed JSON", "/group/member-keys", hT, "{\"publicKey\":", 400, "MALFORMED_JSON"),
                get("key lookup: unknown member", "/group/member-keys/" + h, pT, 404, "NO_MEMBER_KEY"),
                get("key lookup: wrong role", "/group/member-keys/" + f.id(), fT, 403, "FORBIDDEN_ROLE"),
                // opening a circle
                post("open: malformed group id", "/group/circles", pT, Json.createObjectBuilder().add("groupId", "XYZ").add("hospitalId", hpc).add("transaction", b64(phr(p, "XYZ", "group:XYZ", utf8("b")).encode())).build().toString(), 400, "INVALID_GROUP_ID"),
                post("open: unknown hospital", "/group/circles", pT, Json.createObjectBuilder().add("groupId", fresh).add("hospitalId", "no-such-hpc").add("transaction", b64(phr(p, fresh, "group:" + fresh, utf8("b")).encode())).build().toString(), 404, "UNKNOWN_HOSPITAL"),
                post("open: group id taken", "/group/circles", pT, Json.createObjectBuilder().add("groupId", gidQ).add("hospitalId", hpc).add("transaction", b64(phr(p, gidQ, "group:" + gidQ, utf8("b")).encode())).build().toString(), 409, "GROUP_EXISTS"),
                post("open: transaction garbage", "/group/circles", pT, Json.createObjectBuilder().add("groupId", fresh).add("hospitalId", hpc).add("transaction", b64(utf8("garbage"))).build().toString(), 400, "INVALID_TRANSACTION"),
                post("open: another patient's signed PHR", "/group/circles", pT, Json.createObjectBuilder().add("groupId", fresh).add("hospitalId", hpc).add("transaction", b64(phr(q, fresh, "group:" + fresh, utf8("b")).encode())).build().toString(), 403, "NOT_OWN_IDENTITY"),
                post("open: PHR addressed to another group", "/group/circles", pT, Json.createObjectBuilder().add("groupId", fresh).add("hospitalId", hpc).add("transaction", b64(phr(p, fresh, "group:" + gidQ, utf8("b")).encode())).build().toString(), 403, "NOT_AUTHORIZED"),
                post("open: wrong role", "/group/circles", fT, Json.createObjectBuilder().add("groupId", fresh).add("hospitalId", hpc).add("transaction", b64(utf8("x"))).build().toString(), 403, "FORBIDDEN_ROLE"),
                // the key-run relay
                get("run: unknown circle", "/group/circles/" + unknownGid + "/run", pT, 404, "UNKNOWN_GROUP"),
                get("run: malformed circle id", "/group/circles/not-hex/run", pT, 400, "INVALID_GROUP_ID"),
                get("run: another patient's circle", circle + "/run", qT, 403, "NOT_A_MEMBER"),
                post("message: T_r(x) = 1", run, fT, request(f.id(), p.id(), wrongRoot(BigInteger.ONE), 2), 400, "INVALID_GROUP_ELEMENT"),
                post("message: T_r(x) not a Chebyshev value", run, fT, request(f.id(), p.id(), wrongRoot(nonResidue()), 2), 400, "INVALID_GROUP_ELEMENT"),
                post("message: T_r(x) outside the subgroup", run, fT, request(f.id(), p.id(), outside, 2), 400, "INVALID_GROUP_ELEMENT"),
                post("message: not the ring neighbour", run, fT, request(f.id(), g.id(), valid, 2), 400, "WRONG_RECIPIENT"),
                post("message: names another sender", run, fT, request(p.id(), p.id(), valid, 2), 400, "MESSAGE_MISMATCH"),
                post("message: stale epoch", run, fT, request(f.id(), p.id(), valid, 1), 409, "STALE_EPOCH"),
                post("message: unknown kind", run, fT, message(2, "hello", p.id(), utf8("x")), 400, "INVALID_KIND"),
                post("message: body garbage", run, fT, message(2, "request", p.id(), utf8("garbage")), 400, "MALFORMED_MESSAGE"),
                post("message: epoch not a number", run, fT, "{\"epoch\":\"2\",\"kind\":\"request\",\"to\":\"x\",\"body\":\"AA==\"}", 400, "INVALID_FIELD"),
                post("message: non-member", run, gT, request(g.id(), p.id(), valid, 2), 403, "NOT_A_MEMBER"),
                post("message: oversized body", run, fT, message(2, "request", p.id(), new byte[9000]), 400, "INVALID_MESSAGE"),
                // membership changes
                post("join: another patient's circle", circle + "/members", qT, join(q, gid, g.id(), gDigest, 3), 403, "NOT_OWNER"),
                post("join: signed by someone else", circle + "/members", pT, join(q, gid, g.id(), gDigest, 3), 403, "NOT_OWN_IDENTITY"),
                post("join: key digest not the member's", circle + "/members", pT, join(p, gid, g.id(), fDigest, 3), 400, "MEMBER_KEY_MISMATCH"),
                post("join: stale epoch", circle + "/members", pT, join(p, gid, g.id(), gDigest, 2), 409, "STALE_EPOCH"),
                post("join: unknown member", circle + "/members", pT, join(p, gid, "nobody-" + h, gDigest, 3), 404, "NO_MEMBER_KEY"),
                post("join: names another circle", circle + "/members", pT, join(p, gidQ, g.id(), gDigest, 3), 400, "WRONG_GROUP"),
                post("join: already a member", circle + "/members", pT, join(p, gid, f.id(), fDigest, 3), 409, "ALREADY_MEMBER"),
                post("join: a leave transaction", circle + "/members", pT, leave(p, gid, f.id(), 3), 400, "WRONG_TRANSACTION"),
                post("join: unknown circle", "/group/circles/" + unknownGid + "/members", pT, join(p, unknownGid, g.id(), gDigest, 3), 404, "UNKNOWN_GROUP"),
                post("join: wrong role", circle + "/members", fT, join(f, gid, g.id(), gDigest, 3), 403, "FORBIDDEN_ROLE"),
                post("leave: a member removes the owner", circle + "/departures", fT, leave(f, gid, p.id(), 3), 403, "NOT_OWNER"),
                post("leave: the owner leaves", circle + "/departures", pT, leave(p, gid, p.id(), 3), 403, "OWNER_STAYS"),
                post("leave: not a member", circle + "/departures", pT, leave(p, gid, g.id(), 3), 404, "NOT_A_MEMBER"),
                post("leave: non-member removes a member", circle + "/departures", gT, leave(g, gid, f.id(), 3), 403, "NOT_OWNER"),
                // uploads and the EHR
                post("upload: PHR to another circle", circle + "/uploads", pT, tx(phr(p, gid, "group:" + gidQ, utf8("b"))), 403, "NOT_AUTHORIZED"),
                post("upload: into another patient's circle", "/group/circles/" + gidQ + "/uploads", pT, tx(phr(p, gidQ, "group:" + gidQ, utf8("b"))), 403, "NOT_A_MEMBER"),
                post("upload: transaction lies about its record", circle + "/uploads", pT, mismatched, 400, "TRANSACTION_MISMATCH"),
                post("upload: record garbage", circle + "/uploads", pT, garbageRecord, 400, "MALFORMED_RECORD"),
                post("upload: wrong role", circle + "/uploads", fT, tx(phr(p, gid, "group:" + gid, utf8("b"))), 403, "FORBIDDEN_ROLE"),
                post("upload: oversized body", circle + "/uploads", pT, oversized, 413, "BODY_TOO_LARGE"),
                post("ehr: wrong role", circle + "/ehrs", pT, "{\"brief\":\"AA==\",\"sensitive\":\"AA==\"}", 403, "FORBIDDEN_ROLE"),
                post("ehr: unknown circle", "/group/circles/" + unknownGid + "/ehrs", admin, "{\"brief\":\"AA==\",\"sensitive\":\"AA==\"}", 404, "UNKNOWN_GROUP"),
                post("ehr: empty record", circle + "/ehrs", admin, "{\"brief\":\"\",\"sensitive\":\"\"}", 400, "INVALID_RECORD"),
                // retrieval
                get("records: non-member", circle + "/records", gT, 403, "NOT_A_MEMBER"),
                get("records: another patient", circle + "/records", qT, 403, "NOT_A_MEMBER"),
                get("records: unknown circle", "/group/circles/" + unknownGid + "/records", pT, 404, "UNKNOWN_GROUP"),
                get("records: wrong role", circle + "/records", auditor, 403, "FORBIDDEN_ROLE"),
                get("ledger: non-member", circle + "/ledger", gT, 403, "NOT_A_MEMBER")).toList();

        String before = state();
        for (Row row : rows) {
            HttpResponse<String> res = row.method().equals("GET") ? Http.get(row.path(), row.token().get())
                    : Http.postJson(row.path(), row.token().get(), row.body());
            assertEquals(row.status(), res.statusCode(), row.name() + ": " + res.body());
            JsonObject problem = Http.json(res);
            assertEquals(row.code(), problem.getString("code"), row.name());
            assertEquals(before, state(), row.name() + " changed something");
        }
    }
}
