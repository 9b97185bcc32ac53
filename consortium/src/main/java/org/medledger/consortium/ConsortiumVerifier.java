package org.medledger.consortium;

import java.util.Optional;

import org.medledger.ledger.verify.ChainSource;
import org.medledger.ledger.verify.LedgerVerifier;
import org.medledger.ledger.verify.VerificationReport;

/**
 * The auditor's check of a hospital's chain (its store or an export): the checkpoint must be a
 * witnessed tree head with a quorum of hospital co-signatures, and the chain must replay from
 * genesis with the ledger verifier and extend that head. A head without quorum is refused
 * before any replay ({@link ConsortiumReason#NO_QUORUM}).
 */
public final class ConsortiumVerifier {
    private final Consortium consortium;
    private final WitnessPolicy policy;

    public ConsortiumVerifier(Consortium consortium, WitnessPolicy policy) {
        this.consortium = consortium;
        this.policy = policy;
    }

    public ConsortiumVerifier(Consortium consortium) {
        this(consortium, new WitnessPolicy(consortium));
    }

    public VerificationReport verify(ChainSource chain, WitnessedTreeHead checkpoint) {
        policy.check(checkpoint);
        return new LedgerVerifier(consortium.anchors(), consortium.contracts(), consortium.scheme())
                .verify(chain, Optional.of(checkpoint.head()));
    }
}
