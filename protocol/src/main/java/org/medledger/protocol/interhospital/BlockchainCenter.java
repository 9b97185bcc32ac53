package org.medledger.protocol.interhospital;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.KeyCertifier;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.PartialKey;

/**
 * The blockchain center of INTER-HOSPITAL (the KGC): {@code s}, {@code PK = sP} (seed 002,
 * eq. 1). Registers patients and hospitals, certifies their own keys and emits the
 * {@code ptins}/{@code hains} contract calls. Stateless.
 */
public final class BlockchainCenter {

    private final Environment env;
    private final MasterSecret master;
    private final KeyCertifier certifier;

    public BlockchainCenter(Environment env, MasterSecret master, KeyCertifier certifier) {
        this.env = Objects.requireNonNull(env, "Environment is required.");
        this.master = Objects.requireNonNull(master, "Master secret is required.");
        this.certifier = Objects.requireNonNull(certifier, "Certifier is required.");
    }

    /** {@code PK = sP}  (seed 002, eq. 1). */
    public MasterPublicKey publicKey() {
        return master.publicKey();
    }

    /** Registration step 2 for a patient or a hospital (seed 002, eq. 2–4, 6–8, 10–12). */
    public RegistrationOutcome register(RegistrationRequest request) {
        Objects.requireNonNull(request, "Request is required.");
        // R_X = r_X·P;  h_X = H1(ID_X, R_X);  S_X = r_X + h_X·s mod n  (seed 002, eq. 2–4)
        PartialKey key = master.issuePartialKey(env.random(), rX -> InterHospitalHashes.h1(env.curve(), request.id(), rX));
        var entry = certifier.certify(InterHospitalRoles.SCHEME, request.role(), request.id(), request.signingKey(), request.kemKey(),
                Optional.of(key.publicPoint()));
        ContractPayload insert = request.role().equals(InterHospitalRoles.PATIENT)
                ? new PatientInsert(request.id(), request.detail(), List.of())
                : new HospitalInsert(request.id(), request.detail());
        return new RegistrationOutcome(new RegistrationGrant(key.publicPoint(), key.secret(), entry), insert);
    }
}
