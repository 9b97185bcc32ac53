package org.medledger.group;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

import org.medledger.consensus.LedgerNode;
import org.medledger.emrauth.HospitalCloudService;
import org.medledger.ledger.contract.seeds.GroupAggContract;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.ledger.member.MemberDirectory;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.node.Receipt;
import org.medledger.ledger.tx.Transaction;
import org.medledger.platform.DomainException;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.group.AuthenticationAck;
import org.medledger.protocol.group.AuthenticationMessage;
import org.medledger.protocol.group.Chebyshev;
import org.medledger.protocol.group.ChebyshevParameters;
import org.medledger.protocol.group.GroupKeyConfirmation;
import org.medledger.protocol.group.GroupKeyShare;
import org.medledger.protocol.group.MemberKeyBinding;

/**
 * The group-key management of GROUP-AGG (seed 004 §III-D): a patient's care circle as a ring of
 * members with certified Chebyshev keys, its membership (create, join, leave — each a transaction
 * on the ledger signed by the patient's or the leaver's own ledger key) and the epoch of its group
 * key, one more with every membership change. The members' devices run the pairwise
 * authentications and the group key agreement of each epoch through this bean's relay; the server
 * checks who may send what to whom and never sees a secret. All state is in the database.
 */
@Stateless
public class GroupKeyService {

    private static final Logger LOG = Logger.getLogger(GroupKeyService.class.getName());
    public static final int MAX_TRANSACTION = 16 * 1024;
    public static final int MAX_MESSAGE = 8 * 1024;
    public static final int MAX_MEMBERS = 64;
    static final long FAMILY_MEMBERSHIP_MILLIS = 365L * 24 * 3600 * 1000;
    /** Roles a member key is registered under (Keycloak realm roles). */
    public static final Set<String> MEMBER_ROLES = Set.of("patient", "doctor", "family");
    public static final Set<String> RUN_KINDS = Set.of("request", "response", "ack", "share", "confirm");

    static final Chebyshev T = new Chebyshev(ChebyshevParameters.modp2048());

    @EJB
    GroupCircles circles;

    @EJB
    BlockTransformationService blocks;

    @EJB
    LedgerNode ledger;

    @EJB
    HospitalCloudService hospitals;

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    // ------------------------------------------------------------------ member keys

    /**
     * Registers the caller's Chebyshev public key T_s(x), signed with its ledger member key. A
     * patient's ledger key was registered with its EMR-AUTH keys, a doctor's is its certificate's
     * key; a family member brings a fresh one here and becomes a ledger member (role FAMILY).
     */
    public GroupCircles.Member registerKey(String callerId, String role, byte[] publicKey, byte[] ledgerKey, byte[] signature)
            throws DomainException {
        if (!MEMBER_ROLES.contains(role)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "FORBIDDEN_ROLE", "patients, doctors and family members hold member keys");
        }
        requireGroupElement(publicKey);
        if (circles.memberKey(callerId).isPresent()) {
            throw new DomainException(DomainException.Kind.CONFLICT, "ALREADY_REGISTERED", "a member key is registered once");
        }
        byte[] message = MemberKeyBinding.message(callerId, publicKey);
        if (role.equals("family")) {
            if (ledgerKey == null || !P256SignatureScheme.INSTANCE.isValidPublicKey(ledgerKey)) {
                throw new DomainException(DomainException.Kind.INVALID, "INVALID_KEY", "ledgerKey must be a compressed P-256 point");
            }
            requireSignature(ledgerKey, message, signature);
            long now = System.currentTimeMillis();
            ledger.registerMember(callerId, Role.FAMILY, ledgerKey, now, now + FAMILY_MEMBERSHIP_MILLIS, callerId);
        } else {
            if (ledgerKey != null) {
                throw new DomainException(DomainException.Kind.INVALID, "UNEXPECTED_FIELD",
                        "a patient's or doctor's ledger key is already registered");
            }
            MemberCertificate cert = ledgerMember(callerId).orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND,
                    "NOT_REGISTERED", "register with the KGC and certify your keys first"));
            Role expected = role.equals("patient") ? Role.PATIENT : Role.DOCTOR;
            if (cert.role() != expected) {
                throw new DomainException(DomainException.Kind.FORBIDDEN, "FORBIDDEN_ROLE", "the ledger knows this member in another role");
            }
            requireSignature(cert.publicKey().toArray(), message, signature);
        }
        circles.insertKey(callerId, role, publicKey);
        LOG.info(() -> "GROUP-AGG: member key of " + role + " " + callerId + " registered");
        return new GroupCircles.Member(callerId, role, publicKey, -1);
    }

    /** A registered member key (public). */
    public GroupCircles.Member memberKey(String memberId) throws DomainException {
        return circles.memberKey(memberId).orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND, "NO_MEMBER_KEY",
                "no member key is registered for this id"));
    }

    // ------------------------------------------------------------------ membership

    /** A membership change as committed: the circle's new epoch and the ledger entry. */
    public record Change(String groupId, long epoch, long logIndex) {
    }

    /**
     * The patient opens its care circle ID_G, served by healthcare center {@code hospitalId}: its
     * first PHR (signed by the patient) goes on the ledger, which makes the patient the group's
     * owner and first member there (contract {@code group-agg}). Epoch 1.
     */
    public Change create(String callerId, String groupId, String hospitalId, byte[] transaction) throws DomainException {
        GroupCircles.requireGroupId(groupId);
        GroupCircles.Member key = circles.memberKey(callerId).orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND,
                "NO_MEMBER_KEY", "register a member key first"));
        if (!key.role().equals("patient")) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "FORBIDDEN_ROLE", "a patient opens its own care circle");
        }
        if (hospitalId == null || !hospitals.isRegistered(hospitalId)) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "UNKNOWN_HOSPITAL", "no healthcare center " + hospitalId + " is served here");
        }
        if (circles.find(groupId).isPresent()) {
            throw new DomainException(DomainException.Kind.CONFLICT, "GROUP_EXISTS", "this group id is taken");
        }
        circles.insertCircle(groupId, callerId, hospitalId, 1);
        em.flush();
        BlockTransformationService.Accepted opening = blocks.acceptOpening(groupId, transaction, callerId);
        circles.addMember(groupId, callerId, 1, opening.logIndex());
        LOG.info(() -> "GROUP-AGG: circle " + groupId + " opened by " + callerId);
        return new Change(groupId, 1, opening.logIndex());
    }

    /**
     * The owner adds a member (seed 004 §III-D3: the newcomer sits between U_n and U_1): a
     * {@code group-agg.group-join} transaction signed by the patient naming the member, the digest
     * of its registered Chebyshev key and the new epoch.
     */
    public Change join(String groupId, byte[] transaction, String callerId) throws DomainException {
        GroupCircles.Circle c = circles.lock(groupId);
        requireOwner(c, callerId);
        Transaction tx = membershipTransaction(transaction, "group-join", callerId, groupId);
        String member = arg(tx, "memberId");
        GroupCircles.Member key = circles.memberKey(member).orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND,
                "NO_MEMBER_KEY", "the member has no registered member key"));
        if (circles.isCurrentMember(groupId, member)) {
            throw new DomainException(DomainException.Kind.CONFLICT, "ALREADY_MEMBER", "already a member of this circle");
        }
        if (circles.members(groupId).size() >= MAX_MEMBERS) {
            throw new DomainException(DomainException.Kind.CONFLICT, "CIRCLE_FULL", "a circle has at most " + MAX_MEMBERS + " members");
        }
        if (!MemberKeyBinding.digest(key.publicKey()).equals(arg(tx, "memberKey"))) {
            throw new DomainException(DomainException.Kind.INVALID, "MEMBER_KEY_MISMATCH", "memberKey is not the member's registered key");
        }
        long epoch = requireNextEpoch(tx, c);
        Receipt r = ledger.submitSigned(tx);
        circles.addMember(groupId, member, epoch, r.logIndex());
        circles.setEpoch(groupId, epoch);
        LOG.info(() -> "GROUP-AGG: " + member + " joined circle " + groupId + " (epoch " + epoch + ")");
        return new Change(groupId, epoch, r.logIndex());
    }

    /**
     * A member leaves (seed 004 §III-D4), by itself or removed by the owner: a
     * {@code group-agg.group-leave} transaction signed by the leaver or the owner. The owner does
     * not leave its own circle.
     */
    public Change leave(String groupId, byte[] transaction, String callerId) throws DomainException {
        GroupCircles.Circle c = circles.lock(groupId);
        Transaction tx = membershipTransaction(transaction, "group-leave", callerId, groupId);
        String member = arg(tx, "memberId");
        if (!callerId.equals(member)) {
            requireOwner(c, callerId);
        }
        if (member.equals(c.ownerId())) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "OWNER_STAYS", "the patient does not leave its own circle");
        }
        if (!circles.isCurrentMember(groupId, member)) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "NOT_A_MEMBER", "not a member of this circle");
        }
        long epoch = requireNextEpoch(tx, c);
        Receipt r = ledger.submitSigned(tx);
        circles.removeMember(groupId, member, epoch, r.logIndex());
        circles.setEpoch(groupId, epoch);
        LOG.info(() -> member + " left GROUP-AGG circle " + groupId + " (epoch " + epoch + ")");
        return new Change(groupId, epoch, r.logIndex());
    }

    // ------------------------------------------------------------------ the key run relay

    /** One relayed message of a key run. */
    public record RunMessage(String kind, String from, String to, byte[] body) {
    }

    /** The current epoch's roster and the messages addressed to the caller (or broadcast). */
    public record RunView(GroupCircles.Circle circle, List<GroupCircles.Member> members, List<RunMessage> messages) {
    }

    public RunView run(String groupId, String callerId) throws DomainException {
        GroupCircles.Circle c = circles.requireMember(groupId, callerId);
        List<RunMessage> out = new ArrayList<>();
        for (Object o : em.createNativeQuery("SELECT kind, sender_id, recipient_id, body FROM ga_run_message "
                        + "WHERE group_id = ?1 AND epoch = ?2 AND (recipient_id = ?3 OR recipient_id = '*') ORDER BY posted_at, sender_id")
                .setParameter(1, groupId).setParameter(2, c.epoch()).setParameter(3, callerId).getResultList()) {
            Object[] r = (Object[]) o;
            out.add(new RunMessage((String) r[0], (String) r[1], (String) r[2], (byte[]) r[3]));
        }
        return new RunView(c, circles.members(groupId), out);
    }

    /**
     * Relays one message of the current epoch's run from the caller: pairwise requests and
     * acknowledgements go to the successor, responses to the predecessor (seed 004 §III-D1);
     * shares X_i and key confirmations are broadcast. The body is decoded with the protocol's
     * strict decoders (received Chebyshev values validated) and must name the caller, the
     * recipient, the group and the epoch. One message per kind, sender and recipient per epoch.
     */
    public void post(String groupId, String callerId, long epoch, String kind, String to, byte[] body) throws DomainException {
        GroupCircles.Circle c = circles.requireMember(groupId, callerId);
        if (epoch != c.epoch()) {
            throw new DomainException(DomainException.Kind.CONFLICT, "STALE_EPOCH", "the circle is at epoch " + c.epoch());
        }
        if (!RUN_KINDS.contains(kind)) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_KIND", "kind is one of " + RUN_KINDS);
        }
        if (body == null || body.length == 0 || body.length > MAX_MESSAGE) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_MESSAGE", "a message is 1 to " + MAX_MESSAGE + " bytes");
        }
        List<String> ring = circles.members(groupId).stream().map(GroupCircles.Member::memberId).toList();
        if (ring.size() < 2) {
            throw new DomainException(DomainException.Kind.CONFLICT, "NO_RUN", "a group key needs at least two members");
        }
        int i = ring.indexOf(callerId);
        String successor = ring.get((i + 1) % ring.size());
        String predecessor = ring.get((i - 1 + ring.size()) % ring.size());
        String expectedTo = switch (kind) {
            case "request", "ack" -> successor;
            case "response" -> predecessor;
            default -> "*";
        };
        if (!expectedTo.equals(to)) {
            throw new DomainException(DomainException.Kind.INVALID, "WRONG_RECIPIENT", kind + " messages go to " + expectedTo);
        }
        try {
            boolean names = switch (kind) {
                case "request" -> {
                    AuthenticationMessage m = AuthenticationMessage.decode(AuthenticationMessage.Step.REQUEST, T, body);
                    yield m.initiator().equals(callerId) && m.responder().equals(to);
                }
                case "response" -> {
                    AuthenticationMessage m = AuthenticationMessage.decode(AuthenticationMessage.Step.RESPONSE, T, body);
                    yield m.initiator().equals(to) && m.responder().equals(callerId);
                }
                case "ack" -> {
                    AuthenticationAck m = AuthenticationAck.decode(body);
                    yield m.initiator().equals(callerId) && m.responder().equals(to);
                }
                case "share" -> {
                    GroupKeyShare m = GroupKeyShare.decode(body);
                    yield m.groupId().equals(groupId) && m.epoch() == epoch && m.member().equals(callerId);
                }
                default -> {
                    GroupKeyConfirmation m = GroupKeyConfirmation.decode(body);
                    yield m.groupId().equals(groupId) && m.epoch() == epoch && m.member().equals(callerId);
                }
            };
            if (!names) {
                throw new DomainException(DomainException.Kind.INVALID, "MESSAGE_MISMATCH",
                        "the message names another sender, recipient, group or epoch");
            }
        } catch (ProtocolException e) {
            throw new DomainException(DomainException.Kind.INVALID, e.reason() == org.medledger.protocol.common.Reason.BAD_PARAMETER
                    ? "INVALID_GROUP_ELEMENT" : "MALFORMED_MESSAGE", "the " + kind + " does not decode (" + e.reason() + ")");
        } catch (RuntimeException e) {
            throw new DomainException(DomainException.Kind.INVALID, "MALFORMED_MESSAGE", "the " + kind + " does not decode");
        }
        boolean taken = !em.createNativeQuery("SELECT kind FROM ga_run_message WHERE group_id = ?1 AND epoch = ?2 AND kind = ?3 "
                        + "AND sender_id = ?4 AND recipient_id = ?5")
                .setParameter(1, groupId).setParameter(2, epoch).setParameter(3, kind).setParameter(4, callerId).setParameter(5, to)
                .getResultList().isEmpty();
        if (taken) {
            throw new DomainException(DomainException.Kind.CONFLICT, "ALREADY_SENT", "this " + kind + " was already sent in this epoch");
        }
        em.createNativeQuery("INSERT INTO ga_run_message (group_id, epoch, kind, sender_id, recipient_id, body, posted_at) "
                        + "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .setParameter(1, groupId).setParameter(2, epoch).setParameter(3, kind).setParameter(4, callerId).setParameter(5, to)
                .setParameter(6, body).setParameter(7, System.currentTimeMillis()).executeUpdate();
    }

    // ------------------------------------------------------------------ helpers

    static void requireGroupElement(byte[] publicKey) throws DomainException {
        try {
            T.decodeValue(publicKey);
        } catch (ProtocolException e) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_GROUP_ELEMENT",
                    "publicKey must be a valid Chebyshev value T_s(x) with its root, " + 2 * T.parameters().byteLength() + " bytes");
        }
    }

    private static void requireSignature(byte[] publicKey, byte[] message, byte[] signature) throws DomainException {
        if (signature == null || !P256SignatureScheme.INSTANCE.verify(publicKey, message, signature)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "BAD_SIGNATURE", "the member key is not signed by the caller's ledger key");
        }
    }

    Optional<MemberCertificate> ledgerMember(String memberId) {
        if (ledger.isRevoked(memberId)) {
            return Optional.empty();
        }
        return ledger.state(MemberDirectory.NS_MEMBER, memberId).map(v -> MemberCertificate.decode(v.value()));
    }

    private static void requireOwner(GroupCircles.Circle c, String callerId) throws DomainException {
        if (!c.ownerId().equals(callerId)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWNER", "only the patient who owns the circle does this");
        }
    }

    private static Transaction membershipTransaction(byte[] encoded, String function, String callerId, String groupId)
            throws DomainException {
        if (encoded == null || encoded.length == 0 || encoded.length > MAX_TRANSACTION) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_TRANSACTION", "transaction must be 1 to " + MAX_TRANSACTION + " bytes");
        }
        Transaction tx;
        try {
            tx = Transaction.decode(encoded);
            tx.body().args().string("groupId");
            tx.body().args().string("memberId");
            tx.body().args().number("epoch");
        } catch (RuntimeException e) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_TRANSACTION", "not a well-formed " + function + " transaction");
        }
        if (!tx.body().contract().equals(GroupAggContract.NAME) || !tx.body().function().equals(function)) {
            throw new DomainException(DomainException.Kind.INVALID, "WRONG_TRANSACTION", "expected group-agg." + function);
        }
        if (!tx.body().submitter().equals(callerId)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY", "a transaction is signed by its submitter, the caller");
        }
        if (!tx.body().args().string("groupId").equals(groupId)) {
            throw new DomainException(DomainException.Kind.INVALID, "WRONG_GROUP", "the transaction names another group");
        }
        return tx;
    }

    private static long requireNextEpoch(Transaction tx, GroupCircles.Circle c) throws DomainException {
        long epoch = tx.body().args().number("epoch");
        if (epoch != c.epoch() + 1) {
            throw new DomainException(DomainException.Kind.CONFLICT, "STALE_EPOCH", "the change takes the circle from epoch " + c.epoch()
                    + " to " + (c.epoch() + 1));
        }
        return epoch;
    }

    private static String arg(Transaction tx, String name) throws DomainException {
        try {
            return tx.body().args().string(name);
        } catch (RuntimeException e) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_TRANSACTION", "missing argument " + name);
        }
    }
}
