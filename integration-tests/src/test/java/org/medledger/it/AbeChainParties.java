package org.medledger.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

import org.medledger.client.abe.AbeChainClient;
import org.medledger.protocol.abe.AttributeKey;
import org.medledger.protocol.abe.AuthorizationLetter;
import org.medledger.protocol.abe.CombinedScheme;
import org.medledger.protocol.abe.IdentityKey;
import org.medledger.protocol.abe.Patient;
import org.medledger.protocol.abe.PublicParameters;
import org.medledger.protocol.abe.RecordDescriptor;
import org.medledger.protocol.common.KemKeyPair;
import org.medledger.protocol.pairing.PairingGroups;

/**
 * ABE-CHAIN's parties for the integration tests, built as the client builds them: a patient
 * registered through EMR-AUTH (directory entry with its KEM key, ledger member) that receives
 * its IBE/IBS key sealed to that KEM key, and data consumers created in Keycloak with their roles
 * (the attributes come from those roles only).
 */
final class AbeChainParties {

    static final AbeChainClient API;

    static {
        try {
            API = new AbeChainClient(Http.client(), URI.create(ItConfig.api()),
                    PairingGroups.named(PairingGroups.PURE_JAVA));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private AbeChainParties() {
    }

    static PublicParameters pp() throws Exception {
        return API.publicParameters(Tokens.forUser("auditor"));
    }

    /** A patient with its IBS key: EMR-AUTH registration, then KeyGen_ID sealed to its certified KEM key. */
    record AbePatient(EmrAuthParties.Patient emr, IdentityKey key, Patient party) {
        String id() {
            return emr.id();
        }

        String token() {
            return emr.token();
        }

        /** A signed letter for {@code recordId} at {@code hospital} under {@code policy}, valid for a day. */
        AuthorizationLetter authorize(String recordId, String hospital, String policy) throws Exception {
            return party.authorize(new RecordDescriptor(recordId, id(), hospital, "insurance claim " + recordId), policy,
                    Duration.ofDays(1));
        }

        byte[] transaction(AuthorizationLetter letter) {
            return AbeChainClient.letterTransaction(emr.ledgerKey(), id(), letter);
        }
    }

    static AbePatient patient(PublicParameters pp) throws Exception {
        EmrAuthParties.Patient p = EmrAuthParties.patient();
        IdentityKey k = API.identityKey(p.token(), p.id(), p.keys().kem(), pp);
        return new AbePatient(p, k, new Patient(k, new CombinedScheme(pp, EmrAuthParties.RANDOM), Clock.systemUTC()));
    }

    /** A data consumer holding {@code role} and the attribute roles {@code abe-<x>}, with its attribute key. */
    record Consumer(String id, String token, AttributeKey key) {
        String freshToken() {
            return Tokens.forUser(id);
        }
    }

    static Consumer consumer(PublicParameters pp, String role, String... attributeRoles) throws Exception {
        String id = EmrAuthParties.unique("abe-" + role);
        KeycloakAdmin.createUser(id, role);
        for (String r : attributeRoles) {
            addRealmRole(id, r);
        }
        KeycloakAdmin.setPassword(id, id + "-demo");
        String token = Tokens.forUser(id);
        KemKeyPair kem = KemKeyPair.generate(EmrAuthParties.CURVE, EmrAuthParties.RANDOM);
        return new Consumer(id, token, API.attributeKey(token, id, kem, pp));
    }

    static void addRealmRole(String username, String role) {
        var r = KeycloakAdmin.send("GET", "/roles/" + role, null);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("no realm role " + role + ": " + r.body());
        }
        var m = KeycloakAdmin.send("POST", "/users/" + KeycloakAdmin.userId(username) + "/role-mappings/realm", "[" + r.body() + "]");
        if (m.statusCode() != 204) {
            throw new IllegalStateException("role mapping refused: " + m.body());
        }
    }

    static byte[] claimRecord(String patientId) {
        return EmrAuthParties.fhirBundle(patientId, "Community-acquired pneumonia, admitted 3 days")
                .getBytes(StandardCharsets.UTF_8);
    }
}
