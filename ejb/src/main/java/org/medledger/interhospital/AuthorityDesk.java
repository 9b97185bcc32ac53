package org.medledger.interhospital;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RunAs;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;

import org.medledger.consensus.LedgerNode;
import org.medledger.consensus.NodeSignatures;
import org.medledger.consortium.Consortium;
import org.medledger.platform.DatabaseReplayGuard;
import org.medledger.platform.DomainException;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.ProtocolException;

/**
 * The authority's side of the requests other nodes make to it ({@link ConsortiumAuthority#request}):
 * the request reaches it without a bearer token (node to node) and is accepted only signed by a
 * hospital of the membership with its certified block-producer key, within two minutes of its
 * time; a registration is accepted once (its signed content goes to the database replay guard)
 * and only for a hospital in the requesting node's own namespace ({@code <node>} or
 * {@code <node>.<name>}). The ledger writes that follow (member certificate, {@code hains}) run
 * as the hospital administrator's role, for which the node's signature stands.
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
    DatabaseReplayGuard replayGuard;

    /** A request another node signed: purpose, the signed body {@code (node, time, nonce, payload)} and its signature. */
    public byte[] handle(String purpose, byte[] request, byte[] signature) throws DomainException {
        Consortium c = ledger.consortium().orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND, "NOT_IN_CONSORTIUM",
                "this server is not a consortium node"));
        if (!ledger.isAuthority()) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "NOT_AUTHORITY", "this node is not the consortium's authority");
        }
        String node;
        long at;
        byte[] payload;
        try {
            LabelledDecoder d = LabelledDecoder.open(request, ConsortiumAuthority.REQUEST_LABEL);
            node = d.utf8();
            at = d.int64();
            d.bytes(16);
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
        switch (purpose) {
            case ConsortiumAuthority.DIRECTORY -> {
                return service.directoryForNode(node, payload);
            }
            case ConsortiumAuthority.REGISTRATION -> {
                if (!replayGuard.firstSeen("consortium/" + purpose, sha256(request), Instant.ofEpochMilli(at).plus(WINDOW))) {
                    throw new DomainException(DomainException.Kind.CONFLICT, "REPLAYED", "this request was already received");
                }
                return service.registerForNode(node, payload);
            }
            default -> throw new DomainException(DomainException.Kind.INVALID, "UNKNOWN_PURPOSE", "no such request");
        }
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
