package org.medledger.interhospital;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RunAs;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

import org.medledger.consensus.ForwardedRegistration;
import org.medledger.consensus.LedgerNode;
import org.medledger.consensus.NodeSignatures;
import org.medledger.consortium.Consortium;
import org.medledger.kgc.boundary.KgcRegistrationService;
import org.medledger.platform.DomainException;
import org.medledger.platform.NowAndThen;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.ProtocolException;

/**
 * The authority's side of the requests other nodes make to it ({@link ConsortiumAuthority#request}):
 * the request reaches it without a bearer token (node to node) and is accepted only signed by a
 * hospital of the membership with its certified block-producer key, within two minutes of its
 * time. A forwarded registration goes to the scheme's {@link ForwardedRegistration} for its
 * purpose (one mechanism for every scheme) and is recorded as asked by the node's user the request
 * names ({@code "<user> at node <id>"}, vouched for by the node's signature); its answer is kept by the
 * request's signed content ({@link NodeSignatures#contentKey}: purpose, node, payload) while a retry
 * can still be accepted ({@link ForwardedAnswers}), so the same registration sent again (a node
 * retrying after it failed locally) is answered the same, registered and recorded on the ledger
 * once. The ledger writes that follow run as the hospital administrator's role, for which the
 * node's signature stands.
 */
@Stateless
@PermitAll
@RunAs("hospital-admin")
public class AuthorityDesk {

    private static final Logger LOG = Logger.getLogger(AuthorityDesk.class.getName());
    static final Duration WINDOW = Duration.ofMinutes(2);

    @EJB
    LedgerNode ledger;

    @EJB
    InterHospitalService service;

    @Inject
    @Any
    Instance<ForwardedRegistration> registrations;

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    /** Forwarded answers are dropped past their retries at most once a minute (one request pays for it). */
    private static final NowAndThen PURGE = new NowAndThen(Duration.ofMinutes(1));

    /** Who a forwarded request is recorded as (its ledger entry, the authority's tables): the node's user and the node. */
    static String requestedBy(String user, String node) {
        return user + " at node " + node;
    }

    /**
     * A request another node signed: purpose, the signed body {@code (node, time, nonce, requested by,
     * payload)} and its signature.
     */
    public byte[] handle(String purpose, byte[] request, byte[] signature) throws DomainException {
        Consortium c = ledger.consortium().orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND, "NOT_IN_CONSORTIUM",
                "this server is not a consortium node"));
        if (!ledger.isAuthority()) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "NOT_AUTHORITY", "this node is not the consortium's authority");
        }
        String node;
        long at;
        String user;
        byte[] payload;
        try {
            LabelledDecoder d = LabelledDecoder.open(request, ConsortiumAuthority.REQUEST_LABEL);
            node = d.utf8();
            at = d.int64();
            d.bytes(16);
            user = d.utf8();
            payload = d.bytes();
            d.finish();
        } catch (ProtocolException e) {
            throw new DomainException(DomainException.Kind.INVALID, "MALFORMED_REQUEST", "the node request does not decode");
        }
        long now = System.currentTimeMillis();
        Optional<String> refused = NodeSignatures.checkNode(c, node, now, purpose, request, signature);
        if (refused.isPresent()) {
            LOG.warning(() -> "authority: a request for " + purpose + " refused (" + refused.get() + ")");
            throw new DomainException(DomainException.Kind.FORBIDDEN, refused.get(),
                    "the request is not signed by a hospital node of the consortium");
        }
        if (Math.abs(now - at) > WINDOW.toMillis()) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "STALE_REQUEST", "the request's time is not within two minutes of now");
        }
        if (ConsortiumAuthority.DIRECTORY.equals(purpose)) {
            return service.directoryForNode(node, payload);
        }
        ForwardedRegistration registration = registrations.stream().filter(r -> r.purpose().equals(purpose)).findFirst()
                .orElseThrow(() -> new DomainException(DomainException.Kind.INVALID, "UNKNOWN_PURPOSE", "no such request"));
        if (!KgcRegistrationService.PARTY_ID.matcher(user).matches()) {
            throw new DomainException(DomainException.Kind.INVALID, "MALFORMED_REQUEST",
                    "a forwarded request names the node's user who asked for it");
        }
        // keyed by what the party signed (its proof checked first, fresh), never by signature bytes or the asking user
        String key = NodeSignatures.contentKey(purpose, node, registration.signedContent(payload));
        ForwardedAnswers answers = new ForwardedAnswers(em, PURGE);
        Optional<byte[]> earlier = answers.earlier(key, now);
        if (earlier.isPresent()) {
            LOG.info(() -> "authority: " + purpose + " of node " + node + " sent again; the first answer returned");
            return earlier.get();
        }
        byte[] answer = registration.register(node, requestedBy(user, node), payload);
        answers.keep(key, node, purpose, answer, now);
        return answer;
    }
}
