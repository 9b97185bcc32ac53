package org.medledger.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.util.function.Supplier;

import org.medledger.client.MedLedgerClient;
import org.medledger.client.group.GroupClient;
import org.medledger.client.group.GroupDevice;
import org.medledger.client.group.GroupSecrets;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.crypto.Signer;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.VerificationKey;
import org.medledger.protocol.emrauth.EmrAuthRoles;
import org.medledger.protocol.group.Chebyshev;
import org.medledger.protocol.group.ChebyshevParameters;

/**
 * Care circle members' devices for the GROUP-AGG integration tests, built as the client builds
 * them: a patient registered with the KGC with certified keys and its own ledger key, a doctor
 * with its authority certificate (its ledger key), family members with a fresh ledger key; fresh
 * Keycloak users per run, each device's Chebyshev key generated on the device.
 */
final class GroupAggParties {

    static final Chebyshev T = new Chebyshev(ChebyshevParameters.modp2048());
    static final GroupClient API = new GroupClient(Http.client(), URI.create(ItConfig.api()), T);

    private GroupAggParties() {
    }

    /** A member: its id, how it gets a fresh token, its device. */
    record Member(String id, Supplier<String> tokens, GroupDevice device, Signer ledgerKey, PartyKeys keys) {
        String token() {
            return tokens.get();
        }
    }

    /** The directory as a device reads it: entries verified against the certification key the device pinned. */
    static GroupDevice.Directory directory(Supplier<String> token) throws Exception {
        VerificationKey certifier = EmrAuthParties.API.trust(token.get()).certifierKey();
        return (role, partyId) -> {
            DirectoryEntry e = EmrAuthParties.API.entry(token.get(), role, partyId).orElseThrow(
                    () -> new IllegalStateException("no directory entry for " + role + " " + partyId));
            e.verify(certifier, EmrAuthRoles.SCHEME, role, partyId, System.currentTimeMillis());
            return e;
        };
    }

    static Member patient() throws Exception {
        String id = EmrAuthParties.unique("ga-patient");
        KeycloakAdmin.createUser(id, "patient");
        KeycloakAdmin.setPassword(id, id + "-demo");
        Supplier<String> tokens = () -> Tokens.forUser(id);
        String token = tokens.get();
        byte[] b = new byte[32];
        EmrAuthParties.RANDOM.nextBytes(b);
        MedLedgerClient kgc = new MedLedgerClient(Http.client(), URI.create(ItConfig.api()));
        kgc.registerPatient(token, id, SecretBytes.copyOf(b), EmrAuthParties.CURVE);
        PartyKeys keys = PartyKeys.generate(EmrAuthParties.CURVE, EmrAuthParties.RANDOM);
        Signer ledger = P256SignatureScheme.generate(EmrAuthParties.RANDOM);
        EmrAuthParties.API.certify(token, EmrAuthRoles.PATIENT, id, keys.signingPublic().encoded(), keys.kemPublic().encoded(),
                ledger.publicKey());
        return member(id, "patient", tokens, ledger, keys);
    }

    static Member doctor() throws Exception {
        EmrAuthParties.Medic d = EmrAuthParties.doctor();
        Supplier<String> tokens = d::token;
        // A doctor's ledger key is its certificate's key (registered as ledger member by the KGC); its
        // protocol keys were certified by EmrAuthParties.doctor() — the device keeps those too.
        Signer ledger = P256SignatureScheme.fromPrivateKey((ECPrivateKey) d.credentials().privateKey());
        return member(d.id(), "doctor", tokens, ledger, d.device().keys());
    }

    static Member family() throws Exception {
        String id = EmrAuthParties.unique("ga-family");
        KeycloakAdmin.createUser(id, "family");
        KeycloakAdmin.setPassword(id, id + "-demo");
        return member(id, "family", () -> Tokens.forUser(id), P256SignatureScheme.generate(EmrAuthParties.RANDOM), null);
    }

    /** A token reused for a minute (a doctor's login is a TLS client-certificate handshake). */
    static Supplier<String> cached(Supplier<String> login) {
        Object[] held = new Object[2];
        return () -> {
            synchronized (held) {
                if (held[0] == null || System.nanoTime() - (long) held[1] > 60_000_000_000L) {
                    held[0] = login.get();
                    held[1] = System.nanoTime();
                }
                return (String) held[0];
            }
        };
    }

    private static Member member(String id, String role, Supplier<String> login, Signer ledger, PartyKeys keys) throws Exception {
        Supplier<String> tokens = cached(login);
        GroupDevice device = GroupDevice.open(id, role, T, ledger, keys, GroupSecrets.inMemory(), API, directory(tokens),
                Clock.systemUTC(), EmrAuthParties.RANDOM);
        device.registerKey(tokens.get());
        return new Member(id, tokens, device, ledger, keys);
    }
}
