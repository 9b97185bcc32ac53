package org.medledger.client.group;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.medledger.client.ApiProblem;
import org.medledger.ledger.contract.seeds.GroupAggTransactions;
import org.medledger.ledger.crypto.Signer;
import org.medledger.ledger.tx.Transaction;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.VerificationKey;
import org.medledger.protocol.emrauth.EmrAuthRoles;
import org.medledger.protocol.group.AggregatedRecord;
import org.medledger.protocol.group.AphrAggregator;
import org.medledger.protocol.group.AphrReader;
import org.medledger.protocol.group.AuthenticationAck;
import org.medledger.protocol.group.AuthenticationMessage;
import org.medledger.protocol.group.Block;
import org.medledger.protocol.group.Chebyshev;
import org.medledger.protocol.group.ChebyshevKeyPair;
import org.medledger.protocol.group.ChebyshevValue;
import org.medledger.protocol.group.GroupDirectory;
import org.medledger.protocol.group.GroupKeyConfirmation;
import org.medledger.protocol.group.GroupKeyShare;
import org.medledger.protocol.group.GroupMember;
import org.medledger.protocol.group.GroupRoster;
import org.medledger.protocol.group.GroupSessionKey;
import org.medledger.protocol.group.MemberKeyBinding;
import org.medledger.protocol.group.RecordKind;
import org.medledger.protocol.group.RecordProducer;
import org.medledger.protocol.group.UploadRecord;

/**
 * A care circle member's device (seed 004): the patient, a doctor or a family member. It keeps
 * its Chebyshev key and the group keys it agreed in its own store, signs its ledger transactions
 * with its own ledger key, runs the pairwise authentications and the group key agreement of each
 * epoch with its ring neighbours through the server's relay, uploads its records and reads the
 * circle's aggregated record. Every protocol check runs here; the server sees no secret.
 */
public final class GroupDevice {

    static final String CHEBYSHEV = "group-chebyshev-key";
    static final String GSK_LABEL = "GROUP-AGG/device/gsk/v1";

    /** Looks up a party's KGC-certified directory entry (verified by the implementation). */
    @FunctionalInterface
    public interface Directory {
        DirectoryEntry entry(String role, String partyId) throws IOException, InterruptedException, ApiProblem, ProtocolException;
    }

    private final String id;
    private final String role;
    private final Chebyshev t;
    private final ChebyshevKeyPair key;
    private final Signer ledgerKey;
    private final PartyKeys partyKeys;
    private final GroupSecrets secrets;
    private final GroupClient client;
    private final Directory directory;
    private final Clock clock;
    private final SecureRandom random;

    private GroupDevice(String id, String role, Chebyshev t, ChebyshevKeyPair key, Signer ledgerKey, PartyKeys partyKeys,
                        GroupSecrets secrets, GroupClient client, Directory directory, Clock clock, SecureRandom random) {
        this.id = id;
        this.role = role;
        this.t = t;
        this.key = key;
        this.ledgerKey = ledgerKey;
        this.partyKeys = partyKeys;
        this.secrets = secrets;
        this.client = client;
        this.directory = directory;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Opens the member's device: its Chebyshev key from {@code secrets}, generated there the first time.
     *
     * @param role      {@code patient}, {@code doctor} or {@code family}
     * @param partyKeys the member's certified signing and KEM keys (patient, doctor); null for a family member
     */
    public static GroupDevice open(String id, String role, Chebyshev t, Signer ledgerKey, PartyKeys partyKeys, GroupSecrets secrets,
                                   GroupClient client, Directory directory, Clock clock, SecureRandom random)
            throws IOException, ProtocolException {
        Optional<SecretBytes> stored = secrets.get(CHEBYSHEV);
        ChebyshevKeyPair key;
        if (stored.isPresent()) {
            key = ChebyshevKeyPair.restore(t, stored.get());
            stored.get().destroy();
        } else {
            key = ChebyshevKeyPair.generate(t, random);
            SecretBytes s = key.exportSecret();
            secrets.put(CHEBYSHEV, s.reveal());
            s.destroy();
        }
        return new GroupDevice(id, role, t, key, ledgerKey, partyKeys, secrets, client, directory, clock, random);
    }

    public String id() {
        return id;
    }

    /** T_s(x) with its root, encoded (deviation G16). */
    public byte[] publicKey() {
        return key.publicKey().encode(t.parameters());
    }

    /** Registers T_s(x) with the server, signed with the ledger key (a family member's ledger key is registered with it). */
    public void registerKey(String token) throws IOException, InterruptedException, ApiProblem {
        byte[] pk = publicKey();
        client.registerKey(token, pk, role.equals("family") ? ledgerKey.publicKey() : null,
                ledgerKey.sign(MemberKeyBinding.message(id, pk)));
    }

    // ------------------------------------------------------------------ membership

    /** The patient opens its care circle with its first PHR; returns ID_G. */
    public String openCircle(String token, String hospitalId, byte[] brief, byte[] sensitive)
            throws IOException, InterruptedException, ApiProblem {
        requireKeys();
        byte[] g = new byte[16];
        random.nextBytes(g);
        String groupId = HexFormat.of().formatHex(g);
        UploadRecord phr = new RecordProducer(id, partyKeys, clock, random).produce(RecordKind.PHR, "group:" + groupId,
                partyKeys.kemPublic(), brief, sensitive);
        client.create(token, groupId, hospitalId, GroupAggTransactions.upload(id, phr, groupId, clock.millis(), random.nextLong())
                .sign(ledgerKey));
        return groupId;
    }

    /** The Chebyshev key {@code memberId} registered (the owner compares its fingerprint with the member's before adding it). */
    public byte[] memberKey(String token, String memberId) throws IOException, InterruptedException, ApiProblem, ProtocolException {
        return client.memberKey(token, memberId);
    }

    /** The fingerprint of a member key, to compare out of band. */
    public static String fingerprint(byte[] memberKey) {
        return MemberKeyBinding.digest(memberKey).substring(0, 16);
    }

    /** The owner adds {@code memberId}, whose registered Chebyshev key it confirmed out of band ({@code memberKey}). */
    public GroupClient.Change add(String token, String groupId, String memberId, byte[] memberKey)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        long epoch = client.run(token, groupId).epoch();
        Transaction tx = GroupAggTransactions.join(id, groupId, memberId, MemberKeyBinding.digest(memberKey), epoch + 1, clock.millis(),
                random.nextLong()).sign(ledgerKey);
        return client.join(token, groupId, tx);
    }

    /** {@code memberId} leaves: this device is the leaver itself or the owner. */
    public GroupClient.Change remove(String token, String groupId, String memberId)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        long epoch = client.run(token, groupId).epoch();
        Transaction tx = GroupAggTransactions.leave(id, groupId, memberId, epoch + 1, clock.millis(), random.nextLong()).sign(ledgerKey);
        return client.leave(token, groupId, tx);
    }

    // ------------------------------------------------------------------ the group key of an epoch

    /**
     * Runs the current epoch's key agreement (seed 004 §III-D): the pairwise authentication with
     * the successor (as initiator) and the predecessor (as responder), then X_i, the XOR chain,
     * GSK and the key confirmations (deviation G2). Waits for the other members through the relay
     * until {@code timeout}; keeps the agreed GSK in the device store.
     */
    public GroupSessionKey agree(Supplier<String> token, String groupId, Duration timeout)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        long deadline = System.nanoTime() + timeout.toNanos();
        GroupClient.Run run = client.run(token.get(), groupId);
        if (run.members().size() < 2) {
            throw new ProtocolException(Reason.BAD_PARAMETER, "a group key needs at least two members");
        }
        long last = lastEpoch(groupId);
        if (run.epoch() <= last) {
            Optional<GroupSessionKey> held = groupKey(groupId, run.epoch());
            if (held.isPresent()) {
                return held.get();
            }
            throw new ProtocolException(Reason.BAD_PARAMETER, "group epoch must grow with every key run");
        }
        GroupRoster roster = new GroupRoster(groupId, run.epoch(), run.memberIds());
        String succ = roster.successor(id);
        String pred = roster.predecessor(id);
        // the device validates the published keys (with roots) of its two ring neighbours, the only ones it uses
        Map<String, ChebyshevValue> keys = new HashMap<>();
        run.members().stream().filter(m -> m.memberId().equals(succ) || m.memberId().equals(pred))
                .forEach(m -> keys.put(m.memberId(), m.publicKey()));
        GroupMember me = new GroupMember(id, key, GroupDirectory.ofValues(t, keys), t, random);
        long epoch = run.epoch();
        client.post(token.get(), groupId, epoch, "request", succ, me.initiate(succ).toBytes(t.parameters()));
        boolean responded = false;
        boolean acked = false;
        boolean accepted = false;
        boolean shared = false;
        GroupSessionKey gsk = null;
        while (System.nanoTime() < deadline) {
            run = client.run(token.get(), groupId);
            if (run.epoch() != epoch) {
                throw new ProtocolException(Reason.BAD_PARAMETER, "the circle moved to epoch " + run.epoch() + " during the key run");
            }
            Map<String, GroupClient.Message> in = new HashMap<>();
            List<GroupKeyShare> shares = new ArrayList<>();
            List<GroupKeyConfirmation> confirmations = new ArrayList<>();
            for (GroupClient.Message m : run.messages()) {
                switch (m.kind()) {
                    case "share" -> shares.add(GroupKeyShare.decode(m.body()));
                    case "confirm" -> confirmations.add(GroupKeyConfirmation.decode(m.body()));
                    default -> in.put(m.kind() + "/" + m.from(), m);
                }
            }
            boolean progressed = false;
            GroupClient.Message req = in.get("request/" + pred);
            if (!responded && req != null) {
                client.post(token.get(), groupId, epoch, "response", pred,
                        me.respond(AuthenticationMessage.decode(AuthenticationMessage.Step.REQUEST, t, req.body())).toBytes(t.parameters()));
                responded = progressed = true;
            }
            GroupClient.Message resp = in.get("response/" + succ);
            if (!acked && resp != null) {
                client.post(token.get(), groupId, epoch, "ack", succ, me.confirm(AuthenticationMessage.decode(AuthenticationMessage.Step.RESPONSE, t, resp.body())).toBytes());
                acked = progressed = true;
            }
            GroupClient.Message ack = in.get("ack/" + pred);
            if (responded && !accepted && ack != null) {
                me.accept(AuthenticationAck.decode(ack.body()));
                accepted = progressed = true;
            }
            if (accepted && acked && !shared) {
                // X_i = B_{i−1} ⊕ B_i, broadcast  (seed 004 §III-D2)
                client.post(token.get(), groupId, epoch, "share", "*", me.startGroupKey(roster).toBytes());
                shared = progressed = true;
            }
            if (shared && gsk == null && shares.size() == roster.size()) {
                List<GroupKeyShare> ordered = new ArrayList<>();
                for (String m : roster.members()) {
                    ordered.add(shares.stream().filter(s -> s.member().equals(m)).findFirst()
                            .orElseThrow(() -> new ProtocolException(Reason.MALFORMED_MESSAGE, "missing X of " + m)));
                }
                gsk = me.finishGroupKey(ordered);
                client.post(token.get(), groupId, epoch, "confirm", "*", me.confirmation(gsk).toBytes());
                progressed = true;
            }
            if (gsk != null && confirmations.size() == roster.size()) {
                me.requireConfirmations(gsk, confirmations);
                keep(roster, gsk);
                return gsk;
            }
            if (!progressed) {
                Thread.sleep(150);
            }
        }
        throw new ProtocolException(Reason.BAD_PARAMETER, "the key run of epoch " + epoch + " did not complete in time");
    }

    /** The group key this device agreed for {@code epoch}, if any. */
    public Optional<GroupSessionKey> groupKey(String groupId, long epoch) throws IOException, ProtocolException {
        Optional<SecretBytes> s = secrets.get(gskName(groupId, epoch));
        if (s.isEmpty()) {
            return Optional.empty();
        }
        LabelledDecoder d = LabelledDecoder.open(s.get().reveal(), GSK_LABEL);
        int n = d.int32();
        List<String> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            members.add(d.utf8());
        }
        SecretBytes exported = d.secretBytes();
        d.finish();
        return Optional.of(GroupSessionKey.restore(new GroupRoster(groupId, epoch, members), exported));
    }

    private void keep(GroupRoster roster, GroupSessionKey gsk) throws IOException {
        LabelledEncoder e = LabelledEncoder.of(GSK_LABEL).int32(roster.size());
        roster.members().forEach(e::utf8);
        SecretBytes exported = gsk.export();
        secrets.put(gskName(roster.groupId(), roster.epoch()), e.secret(exported).toByteArray());
        exported.destroy();
        secrets.put("group-epoch." + roster.groupId(), Long.toString(roster.epoch()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private long lastEpoch(String groupId) throws IOException {
        Optional<SecretBytes> s = secrets.get("group-epoch." + groupId);
        return s.map(b -> Long.parseLong(new String(b.reveal(), java.nio.charset.StandardCharsets.US_ASCII))).orElse(0L);
    }

    private static String gskName(String groupId, long epoch) {
        return "group-gsk." + groupId + "." + epoch;
    }

    // ------------------------------------------------------------------ records

    /** The patient's PHR (to the group, s_P encrypted to the patient itself). */
    public GroupClient.StoredBlock uploadPhr(String token, String groupId, byte[] brief, byte[] sensitive)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        requireKeys();
        UploadRecord phr = new RecordProducer(id, partyKeys, clock, random).produce(RecordKind.PHR, "group:" + groupId,
                partyKeys.kemPublic(), brief, sensitive);
        return client.upload(token, groupId, GroupAggTransactions.upload(id, phr, groupId, clock.millis(), random.nextLong()).sign(ledgerKey));
    }

    /** A doctor's EMR for the circle's patient (s_D encrypted to the patient's certified KEM key). */
    public GroupClient.StoredBlock uploadEmr(String token, String groupId, byte[] brief, byte[] sensitive)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        requireKeys();
        String patient = client.run(token, groupId).ownerId();
        DirectoryEntry p = directory.entry(EmrAuthRoles.PATIENT, patient);
        UploadRecord emr = new RecordProducer(id, partyKeys, clock, random).produce(RecordKind.EMR, "patient:" + patient, p.kemKey(),
                brief, sensitive);
        return client.upload(token, groupId, GroupAggTransactions.upload(id, emr, null, clock.millis(), random.nextLong()).sign(ledgerKey));
    }

    /**
     * The patient's APHR (seed 004 §III-C4): the latest EHR, EMR and PHR of the circle, s_H and
     * s_D decrypted and checked, Sig_H, Sig_D, Sig_P verified, s_G under the current epoch's GSK.
     */
    public GroupClient.StoredBlock aggregate(String token, String groupId, byte[] brief, byte[] sensitive)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        requireKeys();
        GroupClient.Run run = client.run(token, groupId);
        GroupSessionKey gsk = groupKey(groupId, run.epoch()).orElseThrow(() -> new ProtocolException(Reason.NOT_AUTHORIZED,
                "no group key agreed for epoch " + run.epoch() + " (run the key agreement first)"));
        GroupClient.Records records = client.records(token, groupId);
        Block ehr = latest(records, RecordKind.EHR);
        Block emr = latest(records, RecordKind.EMR);
        Block phr = latest(records, RecordKind.PHR);
        Map<String, VerificationKey> producers = producers(List.of(ehr, emr));
        UploadRecord aphr = new AphrAggregator(id, partyKeys, producers, clock, random).aggregate(ehr, emr, phr, gsk, brief, sensitive);
        return client.upload(token, groupId, GroupAggTransactions.upload(id, aphr, groupId, clock.millis(), random.nextLong()).sign(ledgerKey));
    }

    /** The latest APHR of the circle, decrypted with the group key of its epoch and checked (seed 004 §III-E). */
    public AggregatedRecord read(String token, String groupId) throws IOException, InterruptedException, ApiProblem, ProtocolException {
        GroupClient.Records records = client.records(token, groupId);
        GroupClient.StoredBlock aphr = null;
        for (GroupClient.StoredBlock b : records.blocks()) {
            if (b.block().record().kind() == RecordKind.APHR) {
                aphr = b;
            }
        }
        if (aphr == null) {
            throw new ProtocolException(Reason.UNKNOWN_PARTY, "the circle has no aggregated record yet");
        }
        long epoch = aphr.epoch();
        GroupSessionKey gsk = groupKey(groupId, epoch).orElseThrow(() -> new ProtocolException(Reason.NOT_AUTHORIZED,
                "this device holds no group key of epoch " + epoch));
        return read(records, aphr.block(), gsk);
    }

    /** Reads {@code aphr} from {@code records} with {@code gsk} (also: what a key of another epoch gives — nothing). */
    public AggregatedRecord read(GroupClient.Records records, Block aphr, GroupSessionKey gsk)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        List<Block> blocks = records.blocks().stream().map(GroupClient.StoredBlock::block).toList();
        Map<String, VerificationKey> producers = producers(blocks);
        return new AphrReader(producers).read(aphr, gsk, blockId -> blocks.stream()
                .filter(b -> java.util.Arrays.equals(b.blockId(), blockId)).findFirst());
    }

    private static Block latest(GroupClient.Records records, RecordKind kind) throws ProtocolException {
        Block out = null;
        for (GroupClient.StoredBlock b : records.blocks()) {
            if (b.block().record().kind() == kind) {
                out = b.block();
            }
        }
        if (out == null) {
            throw new ProtocolException(Reason.UNKNOWN_PARTY, "the circle has no " + kind + " yet");
        }
        return out;
    }

    /** The certified signing keys of the blocks' producers, from the directory. */
    private Map<String, VerificationKey> producers(List<Block> blocks)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        Map<String, VerificationKey> out = new HashMap<>();
        for (Block b : blocks) {
            UploadRecord r = b.record();
            if (!out.containsKey(r.producer())) {
                String dirRole = switch (r.kind()) {
                    case EHR -> EmrAuthRoles.HOSPITAL_PRIVATE_CLOUD;
                    case EMR -> EmrAuthRoles.DOCTOR;
                    case PHR, APHR -> EmrAuthRoles.PATIENT;
                };
                out.put(r.producer(), directory.entry(dirRole, r.producer()).signingKey());
            }
        }
        return out;
    }

    private void requireKeys() {
        if (partyKeys == null) {
            throw new IllegalStateException("only patients and doctors produce records");
        }
    }

    @Override
    public String toString() {
        return "GroupDevice[" + id + "]";
    }
}
