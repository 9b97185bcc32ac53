package org.medledger.client.group;

import static org.medledger.client.JsonApi.b64;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.medledger.client.ApiProblem;
import org.medledger.client.JsonApi;
import org.medledger.ledger.tx.Transaction;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.group.Block;
import org.medledger.protocol.group.Chebyshev;
import org.medledger.protocol.group.ChebyshevValue;
import org.medledger.protocol.group.UploadRecord;

/**
 * The device side's REST client for GROUP-AGG: carries the transactions and protocol messages the
 * device built and signed, and returns the server's answers decoded (Chebyshev keys validated,
 * blocks re-checked). Refusals arrive as {@link ApiProblem} with the server's stable code.
 */
public final class GroupClient {

    private static final Base64.Encoder B64 = Base64.getEncoder();

    private final JsonApi json;
    private final Chebyshev t;

    public GroupClient(HttpClient http, URI apiBase, Chebyshev t) {
        this.json = new JsonApi(http, apiBase, Duration.ofSeconds(60));
        this.t = t;
    }

    /** A member of the current roster, in ring order; its published key is validated by whoever uses it. */
    public record Member(String memberId, String role, ChebyshevValue publicKey) {
    }

    /** Splits y ‖ root without validating (a device validates the keys it uses, {@code GroupDirectory.ofValues}). */
    private ChebyshevValue unchecked(byte[] encoded) throws ProtocolException {
        int n = t.parameters().byteLength();
        if (encoded.length != 2 * n) {
            throw new ProtocolException(org.medledger.protocol.common.Reason.MALFORMED_MESSAGE, "a member key is " + 2 * n + " bytes");
        }
        return new ChebyshevValue(new java.math.BigInteger(1, java.util.Arrays.copyOfRange(encoded, 0, n)),
                new java.math.BigInteger(1, java.util.Arrays.copyOfRange(encoded, n, 2 * n)));
    }

    /** One relayed key-run message. */
    public record Message(String kind, String from, String to, byte[] body) {
    }

    /** The circle's current epoch, roster and the caller's key-run messages. */
    public record Run(String groupId, String ownerId, String hospitalId, long epoch, List<Member> members, List<Message> messages) {
        public List<String> memberIds() {
            return members.stream().map(Member::memberId).toList();
        }
    }

    /** A membership change: the circle's new epoch and its ledger entry. */
    public record Change(long epoch, long logIndex) {
    }

    /** A block of the circle's chain, its epoch and its ledger entry. */
    public record StoredBlock(Block block, long epoch, long logIndex) {
    }

    public record Records(List<StoredBlock> blocks, long accessLogIndex) {
    }

    public void registerKey(String token, byte[] publicKey, byte[] ledgerKey, byte[] signature)
            throws IOException, InterruptedException, ApiProblem {
        var b = Json.createObjectBuilder().add("publicKey", B64.encodeToString(publicKey)).add("signature", B64.encodeToString(signature));
        if (ledgerKey != null) {
            b.add("ledgerKey", B64.encodeToString(ledgerKey));
        }
        json.post("/group/member-keys", token, b.build(), 201);
    }

    /** The Chebyshev key {@code memberId} registered (validated here). */
    public byte[] memberKey(String token, String memberId) throws IOException, InterruptedException, ApiProblem, ProtocolException {
        byte[] k = b64(json.get("/group/member-keys/" + java.net.URLEncoder.encode(memberId, java.nio.charset.StandardCharsets.UTF_8), token, 200),
                "publicKey");
        t.decodeValue(k);
        return k;
    }

    public Change create(String token, String groupId, String hospitalId, Transaction opening)
            throws IOException, InterruptedException, ApiProblem {
        return change(json.post("/group/circles", token, Json.createObjectBuilder().add("groupId", groupId).add("hospitalId", hospitalId)
                .add("transaction", B64.encodeToString(opening.encode())).build(), 201));
    }

    public Run run(String token, String groupId) throws IOException, InterruptedException, ApiProblem, ProtocolException {
        JsonObject o = json.get("/group/circles/" + groupId + "/run", token, 200);
        List<Member> members = new ArrayList<>();
        for (JsonValue v : o.getJsonArray("members")) {
            JsonObject m = v.asJsonObject();
            members.add(new Member(m.getString("memberId"), m.getString("role"), unchecked(b64(m, "publicKey"))));
        }
        List<Message> messages = new ArrayList<>();
        for (JsonValue v : o.getJsonArray("messages")) {
            JsonObject m = v.asJsonObject();
            messages.add(new Message(m.getString("kind"), m.getString("from"), m.getString("to"), b64(m, "body")));
        }
        return new Run(o.getString("groupId"), o.getString("ownerId"), o.getString("hospitalId"), o.getJsonNumber("epoch").longValue(),
                members, messages);
    }

    public void post(String token, String groupId, long epoch, String kind, String to, byte[] body)
            throws IOException, InterruptedException, ApiProblem {
        json.post("/group/circles/" + groupId + "/run/messages", token, Json.createObjectBuilder().add("epoch", epoch).add("kind", kind)
                .add("to", to).add("body", B64.encodeToString(body)).build(), 202);
    }

    public Change join(String token, String groupId, Transaction tx) throws IOException, InterruptedException, ApiProblem {
        return change(json.post("/group/circles/" + groupId + "/members", token, transaction(tx), 201));
    }

    public Change leave(String token, String groupId, Transaction tx) throws IOException, InterruptedException, ApiProblem {
        return change(json.post("/group/circles/" + groupId + "/departures", token, transaction(tx), 201));
    }

    public StoredBlock upload(String token, String groupId, Transaction tx)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        return block(json.post("/group/circles/" + groupId + "/uploads", token, transaction(tx), 201));
    }

    /** The healthcare center's EHR for the circle's patient (role {@code hospital-admin}). */
    public StoredBlock ehr(String token, String groupId, byte[] brief, byte[] sensitive)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        return block(json.post("/group/circles/" + groupId + "/ehrs", token, Json.createObjectBuilder()
                .add("brief", B64.encodeToString(brief)).add("sensitive", B64.encodeToString(sensitive)).build(), 201));
    }

    public Records records(String token, String groupId) throws IOException, InterruptedException, ApiProblem, ProtocolException {
        JsonObject o = json.get("/group/circles/" + groupId + "/records", token, 200);
        List<StoredBlock> blocks = new ArrayList<>();
        for (JsonValue v : o.getJsonArray("blocks")) {
            blocks.add(block(v.asJsonObject()));
        }
        return new Records(blocks, o.getJsonNumber("accessLogIndex").longValue());
    }

    /** The circle's ledger entries with proofs, for {@link CircleLedgerAudit}. */
    public JsonObject ledger(String token, String groupId) throws IOException, InterruptedException, ApiProblem {
        return json.get("/group/circles/" + groupId + "/ledger", token, 200);
    }

    private static StoredBlock block(JsonObject o) throws ApiProblem, ProtocolException {
        Block b = new Block(o.getJsonNumber("number").longValue(), b64(o, "blockId"), b64(o, "previousId"),
                o.getJsonNumber("nonce").longValue(), o.getJsonNumber("blockTime").longValue(), UploadRecord.decode(b64(o, "record")));
        if (!b.isWellFormed(0)) {
            throw new ApiProblem(200, "BAD_RESPONSE", "block id does not match its content");
        }
        return new StoredBlock(b, o.containsKey("epoch") ? o.getJsonNumber("epoch").longValue() : -1, o.getJsonNumber("logIndex").longValue());
    }

    private static JsonObject transaction(Transaction tx) {
        return Json.createObjectBuilder().add("transaction", B64.encodeToString(tx.encode())).build();
    }

    private static Change change(JsonObject o) {
        return new Change(o.getJsonNumber("epoch").longValue(), o.getJsonNumber("logIndex").longValue());
    }
}
