package org.medledger.ledger.node;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

import org.medledger.ledger.contract.ContractRegistry;
import org.medledger.ledger.crypto.SignatureScheme;
import org.medledger.ledger.crypto.Signer;
import org.medledger.ledger.member.TrustAnchors;

/**
 * Node configuration. The producer key signs blocks and tree heads; its certificate must be
 * among the trust anchors.
 *
 * @param maxBlockTransactions cut a block when this many transactions wait
 * @param maxBlockDelay        or when the oldest waiting transaction waited this long
 * @param timestampWindow      accept a submission only if |now − timestamp| is within this window
 * @param difficultyBits       seed 004's difficulty target (leading zero bits of the block id); 0 = no work
 */
public record LedgerConfig(TrustAnchors anchors, ContractRegistry contracts, SignatureScheme scheme,
                           String producerId, Signer producerKey, Clock clock,
                           int maxBlockTransactions, Duration maxBlockDelay, Duration timestampWindow, int difficultyBits) {
    public LedgerConfig {
        Objects.requireNonNull(anchors, "anchors are required");
        Objects.requireNonNull(contracts, "contracts are required");
        Objects.requireNonNull(scheme, "scheme is required");
        Objects.requireNonNull(producerId, "producerId is required");
        Objects.requireNonNull(producerKey, "producerKey is required");
        Objects.requireNonNull(clock, "clock is required");
        if (maxBlockTransactions < 1 || maxBlockDelay.isNegative() || difficultyBits < 0 || difficultyBits > 32) {
            throw new IllegalArgumentException("bad block cutting or difficulty settings");
        }
    }

    /** Defaults: 1,000 transactions or 20 ms per block, ±5 min timestamps, no work. */
    public static LedgerConfig defaults(TrustAnchors anchors, ContractRegistry contracts, SignatureScheme scheme,
                                        String producerId, Signer producerKey, Clock clock) {
        return new LedgerConfig(anchors, contracts, scheme, producerId, producerKey, clock, 1000, Duration.ofMillis(20),
                Duration.ofMinutes(5), 0);
    }

    public LedgerConfig withBlockCutting(int maxTransactions, Duration maxDelay) {
        return new LedgerConfig(anchors, contracts, scheme, producerId, producerKey, clock, maxTransactions, maxDelay, timestampWindow, difficultyBits);
    }

    public LedgerConfig withDifficulty(int bits) {
        return new LedgerConfig(anchors, contracts, scheme, producerId, producerKey, clock, maxBlockTransactions, maxBlockDelay, timestampWindow, bits);
    }

    public LedgerConfig withTimestampWindow(Duration window) {
        return new LedgerConfig(anchors, contracts, scheme, producerId, producerKey, clock, maxBlockTransactions, maxBlockDelay, window, difficultyBits);
    }
}
