package org.medledger.protocol.interhospital;

import java.util.Objects;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.PartialKey;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.TrustContext;

/** Registration logic shared by {@link Patient} and {@link Hospital} (seed 002, eq. 5, 9, 13). */
final class ImplicitKeyParty {

    private final Environment env;
    private final TrustContext trust;
    private final PartyKeys keys;
    private final String id;
    private final String role;
    private PartialKey partialKey;

    ImplicitKeyParty(Environment env, TrustContext trust, PartyKeys keys, String id, String role) {
        this.env = Objects.requireNonNull(env, "Environment is required.");
        this.trust = Objects.requireNonNull(trust, "Trust context is required.");
        this.keys = Objects.requireNonNull(keys, "Party keys are required.");
        this.id = Objects.requireNonNull(id, "Identity is required.");
        this.role = role;
    }

    RegistrationRequest request(String detail) {
        return new RegistrationRequest(id, role, detail, keys.signingPublic(), keys.kemPublic());
    }

    /** {@code S_X·P ?= R_X + H1(ID_X, R_X)·PK} and the entry certifies our own keys and {@code R_X}. */
    void accept(RegistrationGrant grant) throws ProtocolException {
        CurveProfile c = env.curve();
        // S_X·P ?= R_X + H1(ID_X, R_X)·PK  (seed 002, eq. 5, 9, 13)
        PartialKey.verify(trust.masterPublicKey(), grant.rX(), grant.sX(), InterHospitalHashes.h1(c, id, grant.rX()));
        var e = grant.entry();
        e.verify(trust.certifierKey(), InterHospitalRoles.SCHEME, role, id, env.freshness().now());
        if (!e.signingKey().equals(keys.signingPublic()) || !e.kemKey().equals(keys.kemPublic())
                || e.partialKeyPoint().isEmpty() || !e.partialKeyPoint().get().equals(grant.rX())) {
            throw new ProtocolException(Reason.CERT_INVALID, "directory entry does not match our keys");
        }
        this.partialKey = new PartialKey(grant.rX(), grant.sX());
    }

    PartialKey partialKey() {
        if (partialKey == null) {
            throw new IllegalStateException("Not registered.");
        }
        return partialKey;
    }

    boolean isRegistered() {
        return partialKey != null;
    }

    Environment env() {
        return env;
    }

    TrustContext trust() {
        return trust;
    }

    PartyKeys keys() {
        return keys;
    }

    String id() {
        return id;
    }
}
