package org.medledger.interhospital;

import jakarta.ejb.EJB;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import org.medledger.consensus.BoundedCache;
import org.medledger.consensus.LedgerNode;
import org.medledger.consensus.NodeSignatures;
import org.medledger.consortium.Consortium;
import org.medledger.custody.KgcKeyStore;
import org.medledger.directory.DirectoryService;
import org.medledger.emrauth.PublicCloudService;
import org.medledger.identity.MedicalAuthorityTrust;
import org.medledger.kgc.KgcPublicKey;
import org.medledger.ledger.contract.seeds.KeyRotationContract;
import org.medledger.platform.DomainException;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.PartialKeyRenewal;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.TrustContext;
import org.medledger.protocol.common.VerificationKey;
import org.medledger.protocol.interhospital.InterHospitalRoles;

/**
 * The blockchain center of INTER-HOSPITAL in a consortium: one node, the authority (the node whose
 * KGC ledger key the membership names), runs it; every other node trusts the authority's published
 * parameters ({@code PK} and the directory certification key, signed with the KGC ledger key and
 * checked against the membership), finds certified entries in the authority's directory, and
 * forwards the registration of the hospitals it serves to the authority in a request signed with
 * its block-producer key. In single-node mode this server is its own authority and nothing leaves it.
 * The authority's address: {@code medledger.consortium.authority-url} (set by
 * {@code wildfly-config/configure-consortium.cli}).
 */
@Stateless
@LocalBean
public class ConsortiumAuthority {

    private static final Logger LOG = Logger.getLogger(ConsortiumAuthority.class.getName());
    public static final String AUTHORITY_URL = "medledger.consortium.authority-url";
    /** Purposes of signed messages between the nodes and the authority. */
    public static final String PARAMETERS = "inter-hospital/center-parameters";
    public static final String DIRECTORY = "inter-hospital/directory-lookup";
    public static final String REGISTRATION = "inter-hospital/hospital-registration";
    public static final String RENEWAL = "inter-hospital/hospital-renewal";
    static final String REQUEST_LABEL = "MEDLEDGER/consortium/authority-request/v2";
    static final String PARAMETERS_LABEL = "MEDLEDGER/INTER-HOSPITAL/center-parameters/v2";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The center's public parameters: {@code PK} and the key that certifies directory entries, and
     * the older generations of {@code PK} (oldest first), under which partial keys issued before a
     * rotation verify until they are renewed.
     */
    public record Parameters(MasterPublicKey publicKey, VerificationKey certifierKey, List<MasterPublicKey> older) {
    }

    /** The authority's parameters as this node verified them, with the ledger's KGC rotation they were fetched under. */
    private record Fetched(Parameters parameters, String rotation) {
    }

    private static volatile Fetched fetched;

    /** A directory entry read from the authority, with the party's partial-key renewal state on the ledger then. */
    private record Kept(DirectoryEntry entry, String renewal) {
    }

    /** Directory entries this node read from the authority, by {@code role/partyId} (bounded; see {@link #find}). */
    private static final BoundedCache<String, Kept> LOOKUPS = new BoundedCache<>(1024);

    /** The ledger's world-state key of the KGC's current master key ({@code keys.rotate}, purpose {@code kgc-master}). */
    static final String ROTATION_NAMESPACE = "key-current";
    static final String ROTATION_KEY = KeyRotationContract.KGC_MASTER + "/kgc";

    @EJB
    LedgerNode ledger;

    @EJB
    PublicCloudService pc;

    @EJB
    DirectoryService directory;

    @Inject
    KgcKeyStore kgcKeys;

    @Inject
    MedicalAuthorityTrust medicalAuthority;

    public boolean isAuthority() {
        return ledger.isAuthority();
    }

    /** The center's parameters: this server's own at the authority, else the authority's, verified against the membership. */
    public Parameters parameters() throws DomainException {
        if (isAuthority()) {
            List<KgcKeyStore.MasterKey> all = kgcKeys.masterKeys();
            return new Parameters(kgcKeys.publicKey(), pc.certifierKey(), all.subList(0, all.size() - 1).stream()
                    .map(KgcKeyStore.MasterKey::publicKey).toList());
        }
        // The parameters change only with a rotation of the KGC's master key, which the authority
        // appends to the shared ledger: a node fetches them again when that entry has reached it.
        String rotation = currentRotation();
        Fetched f = fetched;
        if (f == null || !f.rotation().equals(rotation)) {
            boolean again = f != null;
            f = new Fetched(fetchParameters(), rotation);
            if (again) {
                String keyId = KgcKeyStore.keyId(f.parameters().publicKey());
                LOG.info(() -> "KGC key rotation on the ledger: the authority's parameters fetched again (key id " + keyId + ")");
                LOOKUPS.clear();
            }
            fetched = f;
        }
        return f.parameters();
    }

    /** The KGC's current key as the ledger records it: {@code keyId@version} of the rotation entry, empty before any rotation. */
    private String currentRotation() {
        return ledger.state(ROTATION_NAMESPACE, ROTATION_KEY).map(v -> v.version() + ":" + java.util.HexFormat.of()
                .formatHex(v.value().toArray())).orElse("");
    }

    /**
     * Every generation of the master key pair of the KGC that issues this node's INTER-HOSPITAL
     * partial keys, oldest first, the last current: this server's own at the authority, else the
     * authority's as its signed parameters list them (public parts only; no alias or certificate).
     */
    public List<KgcKeyStore.MasterKey> masterKeys() throws DomainException {
        if (isAuthority()) {
            return kgcKeys.masterKeys();
        }
        Parameters p = parameters();
        List<KgcKeyStore.MasterKey> all = new ArrayList<>();
        for (MasterPublicKey pk : p.older()) {
            all.add(new KgcKeyStore.MasterKey(all.size() + 1, null, KgcKeyStore.keyId(pk), pk, null, false));
        }
        all.add(new KgcKeyStore.MasterKey(all.size() + 1, null, KgcKeyStore.keyId(p.publicKey()), p.publicKey(), null, true));
        return all;
    }

    /** The KGC public key the parties of this node use: the authority's (its current generation), else this server's own. */
    public KgcPublicKey publicKey() throws DomainException {
        MasterPublicKey pk = parameters().publicKey();
        return new KgcPublicKey(pk.curve().name(), pk.encoded(), KgcKeyStore.keyId(pk));
    }

    /** The authority's side: its parameters encoded and signed with the KGC ledger key. */
    public String[] signedParameters() throws DomainException {
        if (!isAuthority()) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "NOT_AUTHORITY", "this node is not the consortium's authority");
        }
        Parameters p = parameters();
        byte[] body = encodeParameters(pc.curve(), p);
        return new String[] {b64(body), b64(ledger.signAsAuthority(PARAMETERS, body))};
    }

    static byte[] encodeParameters(CurveProfile curve, Parameters p) {
        LabelledEncoder e = LabelledEncoder.of(PARAMETERS_LABEL).utf8(curve.name()).bytes(p.publicKey().encoded())
                .bytes(p.certifierKey().encoded()).int32(p.older().size());
        p.older().forEach(pk -> e.bytes(pk.encoded()));
        return e.toByteArray();
    }

    /** The parameters {@link #encodeParameters} encoded; every point validated. */
    static Parameters decodeParameters(CurveProfile curve, byte[] body) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(body, PARAMETERS_LABEL);
        if (!d.utf8().equals(curve.name())) {
            throw new ProtocolException(org.medledger.protocol.common.Reason.MALFORMED_MESSAGE, "the authority uses another curve");
        }
        MasterPublicKey pk = MasterPublicKey.decode(curve, d.bytes());
        VerificationKey certifier = VerificationKey.decode(curve, d.bytes());
        int n = d.int32();
        if (n < 0 || n > 1024) {
            throw new ProtocolException(org.medledger.protocol.common.Reason.MALFORMED_MESSAGE, "too many key generations");
        }
        List<MasterPublicKey> older = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            older.add(MasterPublicKey.decode(curve, d.bytes()));
        }
        d.finish();
        return new Parameters(pk, certifier, List.copyOf(older));
    }

    private Parameters fetchParameters() throws DomainException {
        Consortium c = consortium();
        JsonObject o = call(HttpRequest.newBuilder(URI.create(authorityUrl() + "/inter-hospital/authority/parameters")).GET());
        try {
            byte[] body = Base64.getDecoder().decode(o.getString("parameters"));
            byte[] signature = Base64.getDecoder().decode(o.getString("signature"));
            if (!NodeSignatures.checkAuthority(c, PARAMETERS, body, signature)) {
                LOG.warning("the authority's parameters are not signed by the membership's KGC key: refused");
                throw unavailable("AUTHORITY_PARAMETERS_INVALID", "the authority's parameters are not signed by the consortium's KGC");
            }
            Parameters p = decodeParameters(pc.curve(), body);
            LOG.info("INTER-HOSPITAL: the authority's center parameters verified against the membership");
            return p;
        } catch (ProtocolException | IllegalArgumentException | NullPointerException | ClassCastException e) {
            throw unavailable("AUTHORITY_PARAMETERS_INVALID", "the authority's parameters do not decode");
        }
    }

    /** What this node's INTER-HOSPITAL parties trust: the authority's PK and certification key, its directory. */
    public TrustContext trust(Environment env) throws DomainException {
        if (isAuthority()) {
            return pc.trust(env);
        }
        Parameters p = parameters();
        return new TrustContext(p.publicKey(), p.certifierKey(), (scheme, role, partyId) -> scheme.equals(InterHospitalRoles.SCHEME)
                ? find(role, partyId) : Optional.empty(), medicalAuthority.verifier(env.clock()));
    }

    /**
     * A party's certified INTER-HOSPITAL entry: this server's directory, else (on a node that is not
     * the authority) the authority's. Entries are self-authenticating (the reader checks the
     * certification key's signature), so where one comes from does not matter for its validity.
     */
    public Optional<DirectoryEntry> find(String role, String partyId) {
        Optional<DirectoryEntry> local = directory.find(pc.curve(), InterHospitalRoles.SCHEME, role, partyId);
        if (local.isPresent() || isAuthority()) {
            return local;
        }
        // Entries read from the authority are kept (bounded, least recently used first out); one is
        // dropped when the ledger records its party's revocation or a renewal of its partial key (the
        // authority re-certified it), and all when the KGC rotates.
        String key = role + "/" + partyId;
        String renewal = ledger.state(ROTATION_NAMESPACE, KeyRotationContract.KGC_PARTIAL_KEY + "/"
                + new PartialKeyRenewal.Kind(InterHospitalRoles.SCHEME, role).holder(partyId)).map(v -> String.valueOf(v.version()))
                .orElse("");
        Optional<Kept> kept = LOOKUPS.get(key);
        if (kept.isPresent()) {
            if (!ledger.isRevoked(partyId) && kept.get().renewal().equals(renewal)) {
                return Optional.of(kept.get().entry());
            }
            LOOKUPS.remove(key);
        }
        try {
            byte[] answer = request(DIRECTORY, "", LabelledEncoder.of(DIRECTORY).utf8(role).utf8(partyId).toByteArray());
            if (answer.length == 0) {
                return Optional.empty();
            }
            DirectoryEntry entry = DirectoryEntry.decode(pc.curve(), answer);
            if (!ledger.isRevoked(partyId)) {
                LOOKUPS.put(key, new Kept(entry, renewal));
            }
            return Optional.of(entry);
        } catch (DomainException | ProtocolException e) {
            LOG.warning(() -> "INTER-HOSPITAL: directory lookup at the authority failed (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }

    /**
     * Sends {@code payload} for {@code purpose} to the authority, signed with this hospital's
     * block-producer key: {@code (node id, time, nonce, requested by, payload)}, where
     * {@code requestedBy} is the authenticated user of this node who asked (the node vouches for it;
     * the authority records it as {@code "<user> at node <id>"}), empty for a lookup. The authority's answer bytes.
     */
    public byte[] request(String purpose, String requestedBy, byte[] payload) throws DomainException {
        String node = ledger.nodeId().orElseThrow(() -> new DomainException(DomainException.Kind.CONFLICT, "NOT_IN_CONSORTIUM",
                "this server is not a consortium node"));
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        byte[] body = LabelledEncoder.of(REQUEST_LABEL).utf8(node).int64(System.currentTimeMillis()).bytes(nonce)
                .utf8(requestedBy).bytes(payload).toByteArray();
        String json = Json.createObjectBuilder().add("purpose", purpose).add("request", b64(body))
                .add("signature", b64(ledger.signAsNode(purpose, body))).build().toString();
        JsonObject o = call(HttpRequest.newBuilder(URI.create(authorityUrl() + "/inter-hospital/authority/requests"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
        try {
            return Base64.getDecoder().decode(o.getString("result"));
        } catch (IllegalArgumentException | NullPointerException | ClassCastException e) {
            throw unavailable("AUTHORITY_UNAVAILABLE", "the authority's answer does not decode");
        }
    }

    private Consortium consortium() throws DomainException {
        return ledger.consortium().orElseThrow(() -> new DomainException(DomainException.Kind.CONFLICT, "NOT_IN_CONSORTIUM",
                "this server is not a consortium node"));
    }

    static String authorityUrl() throws DomainException {
        String url = System.getProperty(AUTHORITY_URL, "").trim();
        if (url.isEmpty()) {
            throw unavailable("AUTHORITY_NOT_CONFIGURED", "the consortium's authority has no configured address on this node");
        }
        return url.replaceAll("/+$", "");
    }

    private static JsonObject call(HttpRequest.Builder request) throws DomainException {
        HttpResponse<String> r;
        try {
            r = org.medledger.platform.OutboundHttp.client().send(request.timeout(Duration.ofSeconds(30)).header("Accept", "application/json, application/problem+json").build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException | IllegalArgumentException e) {
            LOG.warning(() -> "the consortium's authority is unreachable: " + e.getClass().getSimpleName());
            if (org.medledger.platform.OutboundHttp.untrusted(e)) {
                throw unavailable("AUTHORITY_UNTRUSTED", "the consortium's authority's TLS certificate is not trusted by this installation");
            }
            throw unavailable("AUTHORITY_UNAVAILABLE", "the consortium's authority did not answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("AUTHORITY_UNAVAILABLE", "the consortium's authority did not answer");
        }
        JsonObject o;
        try {
            o = Json.createReader(new StringReader(r.body())).readObject();
        } catch (JsonException | IllegalStateException e) {
            throw unavailable("AUTHORITY_UNAVAILABLE", "the consortium's authority answered something else than JSON");
        }
        if (r.statusCode() / 100 == 2) {
            return o;
        }
        String code = o.getString("code", "AUTHORITY_REFUSED");
        DomainException.Kind kind = DomainException.Kind.ofStatus(r.statusCode());
        LOG.info(() -> "the consortium's authority refused: " + r.statusCode() + " " + code);
        throw new DomainException(kind, code, "the consortium's authority refused the request (" + code + ")");
    }

    private static DomainException unavailable(String code, String message) {
        return new DomainException(DomainException.Kind.UNAVAILABLE, code, message);
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
