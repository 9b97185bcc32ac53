package org.medledger.client.abe;

import static org.medledger.client.JsonApi.b64;
import static org.medledger.client.JsonApi.enc;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.medledger.client.ApiProblem;
import org.medledger.client.JsonApi;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.contract.seeds.AbeChainContract;
import org.medledger.ledger.crypto.Signer;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.TxBody;
import org.medledger.protocol.abe.AttributeKey;
import org.medledger.protocol.abe.AuthorizationLetter;
import org.medledger.protocol.abe.CombinedScheme;
import org.medledger.protocol.abe.DataConsumer;
import org.medledger.protocol.abe.EndorsedRecord;
import org.medledger.protocol.abe.Endorser;
import org.medledger.protocol.abe.IdentityKey;
import org.medledger.protocol.abe.KeyDelivery;
import org.medledger.protocol.abe.PublicParameters;
import org.medledger.protocol.abe.RecordSubmission;
import org.medledger.protocol.common.KemKeyPair;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.pairing.PairingGroup;

/**
 * The device side's REST client for ABE-CHAIN (seed 003): the public parameters (checked on
 * decoding), keys from the KGC opened and checked on the device, the patient's letter with its
 * own ledger transaction, the hospital's record upload, the medical cloud's listing and the
 * release of an endorsed record, whose two IBS signatures and policy the consumer checks itself
 * before it decrypts. Refusals arrive as {@link ApiProblem} with the server's stable code.
 */
public final class AbeChainClient {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JsonApi json;
    private final PairingGroup group;

    public AbeChainClient(HttpClient http, URI apiBase, PairingGroup group) {
        this.json = new JsonApi(http, apiBase, Duration.ofSeconds(120));
        this.group = Objects.requireNonNull(group);
    }

    public PairingGroup group() {
        return group;
    }

    /** PP, decoded strictly and checked (e(g1^a, g2) = e(g1, g2^a), e(g1,g2)^α ≠ 1). */
    public PublicParameters publicParameters(String token) throws IOException, InterruptedException, ApiProblem, ProtocolException {
        return PublicParameters.decode(group, b64(json.get("/abe-chain/public-parameters", token, 200), "publicParameters"));
    }

    /** KeyGen_ATT for the caller (attributes from its roles), sealed to {@code kem} and checked against {@code pp}. */
    public AttributeKey attributeKey(String token, String holderId, KemKeyPair kem, PublicParameters pp)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        JsonObject o = json.post("/abe-chain/keys/attributes", token,
                Json.createObjectBuilder().add("kemKey", b64(kem.publicKey().encoded())).build(), 201);
        return KeyDelivery.openAttributeKey(kem, holderId, pp, b64(o, "sealedKey"));
    }

    /** KeyGen_ID for the calling patient, sealed to the KEM key of its directory entry. */
    public IdentityKey identityKey(String token, String patientId, KemKeyPair certifiedKem, PublicParameters pp)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        JsonObject o = json.post("/abe-chain/keys/identity", token,
                Json.createObjectBuilder().add("kemKey", b64(certifiedKem.publicKey().encoded())).build(), 201);
        return KeyDelivery.openIdentityKey(certifiedKem, patientId, pp, b64(o, "sealedKey"));
    }

    /** The patient's own ledger transaction for a letter ({@code abe-chain.authorization-letter}), signed on the device. */
    public static byte[] letterTransaction(Signer patientLedgerKey, String patientId, AuthorizationLetter letter) {
        Arguments args = Arguments.builder().put("letterId", letter.id()).put("patientId", patientId)
                .put("policy", Bytes.utf8(letter.policy().canonical()))
                .put("descriptor", Bytes.of(letter.descriptor().toBytes())).build();
        return new TxBody(patientId, AbeChainContract.NAME, "authorization-letter", args, System.currentTimeMillis(),
                RANDOM.nextLong()).sign(patientLedgerKey).encode();
    }

    public record Admitted(String letterId, long logIndex) {
    }

    /** Fig. 3 step 1: submits the letter and its ledger transaction. */
    public Admitted submitLetter(String token, byte[] letter, byte[] transaction)
            throws IOException, InterruptedException, ApiProblem {
        JsonObject o = json.post("/abe-chain/letters", token, Json.createObjectBuilder().add("letter", b64(letter))
                .add("transaction", b64(transaction)).build(), 201);
        return new Admitted(o.getString("letterId"), o.getJsonNumber("logIndex").longValue());
    }

    public record Stored(String descriptorId, String address, long descriptorLogIndex, long addressLogIndex) {
    }

    /** Fig. 3 steps 2–5 at a hospital served by the server (hospital administrator). */
    public Stored storeRecord(String token, String hospitalId, String letterId, byte[] record)
            throws IOException, InterruptedException, ApiProblem {
        JsonObject o = json.post("/abe-chain/hospitals/" + enc(hospitalId) + "/records", token, Json.createObjectBuilder()
                .add("letterId", letterId).add("record", b64(record)).build(), 201);
        return new Stored(o.getString("descriptorId"), o.getString("address"), o.getJsonNumber("descriptorLogIndex").longValue(),
                o.getJsonNumber("addressLogIndex").longValue());
    }

    public record Listed(String descriptorId, String patientId, String hospitalId, String recordId, String summary,
                         String policy, long descriptorLogIndex) {
    }

    /** The endorsed records in the medical cloud, optionally of one patient. */
    public List<Listed> records(String token, String patientId) throws IOException, InterruptedException, ApiProblem {
        JsonObject o = json.get("/abe-chain/records" + (patientId == null ? "" : "?patientId=" + enc(patientId)), token, 200);
        List<Listed> out = new ArrayList<>();
        for (JsonValue v : o.getJsonArray("records")) {
            JsonObject r = v.asJsonObject();
            out.add(new Listed(r.getString("descriptorId"), r.getString("patientId"), r.getString("hospitalId"),
                    r.getString("recordId"), r.getString("summary"), r.getString("policy"),
                    r.getJsonNumber("descriptorLogIndex").longValue()));
        }
        return out;
    }

    public record Released(EndorsedRecord record, long logIndex) {
    }

    /**
     * Fig. 3 step 6: downloads an endorsed record and checks it on the device as an endorsing node
     * does (σ_P under the descriptor's patient, σ_H under its hospital, same descriptor, ciphertext
     * policy = authorized policy) and that it is the record asked for.
     */
    public Released release(String token, String descriptorId, PublicParameters pp)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        JsonObject o = json.post("/abe-chain/records/" + enc(descriptorId) + "/release", token, JsonValue.EMPTY_JSON_OBJECT, 200);
        AuthorizationLetter letter = AuthorizationLetter.decode(group, b64(o, "letter"));
        RecordSubmission submission = RecordSubmission.decode(group, b64(o, "submission"));
        if (!submission.id().equals(descriptorId)) {
            throw new ProtocolException(org.medledger.protocol.common.Reason.NOT_AUTHORIZED,
                    "the server released another record than the one asked for");
        }
        // The letter is checked at the time it was valid: a claim is read after the letter's window too.
        Endorser endorser = new Endorser(CombinedScheme.forVerification(pp),
                Clock.fixed(java.time.Instant.ofEpochMilli(letter.issuedAt()), java.time.ZoneOffset.UTC));
        return new Released(endorser.endorse(letter, submission), o.getJsonNumber("logIndex").longValue());
    }

    /** Fig. 3 step 7: decrypts a released record with the consumer's attribute key. */
    public static byte[] open(AttributeKey key, PublicParameters pp, EndorsedRecord record) throws ProtocolException {
        return new DataConsumer(key, CombinedScheme.forVerification(pp)).open(record);
    }
}
