package org.medledger.interhospital;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.logging.Logger;

import org.medledger.platform.DomainException;

/**
 * Hospital B's HTTP client towards a holding hospital's peer endpoints
 * ({@code /inter-hospital/peer/hospitals/{id}/transfers}). Where a hospital is served comes from
 * {@code medledger.interhospital.peers} ({@code id=url,...}, set by
 * {@code wildfly-config/configure-consortium.cli}; a hospital {@code <node>.<name>} at its node's entry) or
 * {@code medledger.interhospital.peer.<id>};
 * a hospital served by this server is reached at
 * {@code medledger.interhospital.self-url} (default: this server's HTTPS port on loopback, trusted through
 * configure-tls-certificate.cli). The peer
 * authenticates itself and us by the handshake, not by the transport.
 */
final class InterHospitalPeers {

    private static final Logger LOG = Logger.getLogger(InterHospitalPeers.class.getName());
    static final String PEER_PROPERTY = "medledger.interhospital.peer.";
    /** {@code id=url,id=url}: the hospitals served by other nodes (set by configure-consortium.cli). */
    static final String PEERS_PROPERTY = "medledger.interhospital.peers";
    static final String SELF_PROPERTY = "medledger.interhospital.self-url";
    record Answer(String sessionId, byte[] message) {
    }

    private InterHospitalPeers() {
    }

    static String baseUrl(String hospitalId, boolean servedHere) throws DomainException {
        String configured = System.getProperty(PEER_PROPERTY + hospitalId);
        // a consortium node's hospitals are its id or <node id>.<name>: reached at the node's URL
        int dot = hospitalId.indexOf('.');
        String node = dot > 0 ? hospitalId.substring(0, dot) : null;
        String byNode = null;
        for (String entry : System.getProperty(PEERS_PROPERTY, "").split(",")) {
            int eq = entry.indexOf('=');
            String id = eq > 0 ? entry.substring(0, eq).trim() : "";
            if (id.equals(hospitalId)) {
                configured = entry.substring(eq + 1).trim();
            } else if (id.equals(node)) {
                byNode = entry.substring(eq + 1).trim();
            }
        }
        if ((configured == null || configured.isBlank()) && byNode != null && !servedHere) {
            configured = byNode;
        }
        if (configured != null && !configured.isBlank()) {
            return configured.replaceAll("/+$", "");
        }
        if (servedHere) {
            String self = System.getProperty(SELF_PROPERTY);
            if (self != null && !self.isBlank()) {
                return self.replaceAll("/+$", "");
            }
            // this server's own HTTPS listener on loopback (configure-tls.cli only redirects plain HTTP),
            // its certificate trusted through the installation's authority (configure-tls-certificate.cli)
            int offset = Integer.getInteger("jboss.socket.binding.port-offset", 0);
            return "https://127.0.0.1:" + (8443 + offset) + "/api";
        }
        throw new DomainException(DomainException.Kind.NOT_FOUND, "UNKNOWN_HOSPITAL",
                "no address is configured for the holding hospital");
    }

    static Answer open(String base, String holderId, byte[] hello) throws DomainException {
        JsonObject o = post(base + "/inter-hospital/peer/hospitals/" + enc(holderId) + "/transfers", hello, 201);
        return new Answer(o.getString("sessionId"), Base64.getDecoder().decode(o.getString("message")));
    }

    static Answer release(String base, String holderId, String sessionId, byte[] confirm) throws DomainException {
        JsonObject o = post(base + "/inter-hospital/peer/hospitals/" + enc(holderId) + "/transfers/" + enc(sessionId) + "/release",
                confirm, 200);
        return new Answer(sessionId, Base64.getDecoder().decode(o.getString("message")));
    }

    private static JsonObject post(String url, byte[] message, int expected) throws DomainException {
        String body = Json.createObjectBuilder().add("message", Base64.getEncoder().encodeToString(message)).build().toString();
        HttpResponse<String> r;
        try {
            r = org.medledger.platform.OutboundHttp.client().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("Accept", "application/json, application/problem+json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | IllegalArgumentException e) {
            LOG.warning(() -> "holding hospital unreachable: " + e.getClass().getSimpleName());
            if (org.medledger.platform.OutboundHttp.untrusted(e)) {
                // its certificate is not from the installation's authority: no request was sent
                throw new DomainException(DomainException.Kind.UNAVAILABLE, "HOLDER_UNTRUSTED",
                        "the holding hospital's TLS certificate is not trusted by this installation");
            }
            throw unavailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        }
        JsonObject o;
        try {
            o = Json.createReader(new StringReader(r.body())).readObject();
        } catch (JsonException | IllegalStateException e) {
            throw unavailable();
        }
        if (r.statusCode() == expected) {
            return o;
        }
        // The holder's refusal, with its own reason code (its problem detail stays there).
        String code = o.getString("code", "PEER_REFUSED");
        DomainException.Kind kind = DomainException.Kind.ofStatus(r.statusCode());
        LOG.info(() -> "holding hospital refused the transfer: " + r.statusCode() + " " + code);
        return throwing(new DomainException(kind, code, "the holding hospital refused the transfer (" + code + ")"));
    }

    private static JsonObject throwing(DomainException e) throws DomainException {
        throw e;
    }

    private static DomainException unavailable() {
        return new DomainException(DomainException.Kind.UNAVAILABLE, "HOLDER_UNAVAILABLE", "the holding hospital did not answer");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
