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
 * @param logId                this deployment's log, named in every signed tree head
 * @param verifyOnOpen         verify the stored chain (against the checkpoint file, if any) before serving it
 * @param checkpointFile       where the node keeps the latest tree head it signed, outside the database
 *                             (null: none); on open the chain must extend it
 */
public record LedgerConfig(TrustAnchors anchors, ContractRegistry contracts, SignatureScheme scheme,
                           String producerId, Signer producerKey, Clock clock,
                           int maxBlockTransactions, Duration maxBlockDelay, Duration timestampWindow, int difficultyBits,
                           String logId, boolean verifyOnOpen, java.nio.file.Path checkpointFile) {
    public LedgerConfig {
        Objects.requireNonNull(anchors, "anchors are required");
        Objects.requireNonNull(contracts, "contracts are required");
        Objects.requireNonNull(scheme, "scheme is required");
        Objects.requireNonNull(producerId, "producerId is required");
        Objects.requireNonNull(producerKey, "producerKey is required");
        Objects.requireNonNull(clock, "clock is required");
        Objects.requireNonNull(logId, "logId is required");
        if (logId.isEmpty() || logId.length() > 200 || producerId.isEmpty() || producerId.length() > 200) {
            throw new IllegalArgumentException("log id and producer id: 1 to 200 characters");
        }
        if (maxBlockTransactions < 1 || maxBlockDelay.isNegative() || difficultyBits < 0 || difficultyBits > 32) {
            throw new IllegalArgumentException("bad block cutting or difficulty settings");
        }
    }

    /**
     * Defaults: 1,000 transactions or 20 ms per block, ±5 min timestamps, no work; the log id
     * {@link #defaultLogId derived from the producer key} unless {@link #withLogId set}.
     */
    public static LedgerConfig defaults(TrustAnchors anchors, ContractRegistry contracts, SignatureScheme scheme,
                                        String producerId, Signer producerKey, Clock clock) {
        return new LedgerConfig(anchors, contracts, scheme, producerId, producerKey, clock, 1000, Duration.ofMillis(20),
                Duration.ofMinutes(5), 0, defaultLogId(producerKey.publicKey()), true, null);
    }

    /** {@code log-} and the first 16 bytes (hex) of the producer key's id: distinct per deployment key. */
    public static String defaultLogId(byte[] producerPublicKey) {
        return "log-" + org.medledger.ledger.log.SignedTreeHead.keyId(producerPublicKey).hex().substring(0, 32);
    }

    public LedgerConfig withBlockCutting(int maxTransactions, Duration maxDelay) {
        return new LedgerConfig(anchors, contracts, scheme, producerId, producerKey, clock, maxTransactions, maxDelay, timestampWindow,
                difficultyBits, logId, verifyOnOpen, checkpointFile);
    }

    public LedgerConfig withDifficulty(int bits) {
        return new LedgerConfig(anchors, contracts, scheme, producerId, producerKey, clock, maxBlockTransactions, maxBlockDelay,
                timestampWindow, bits, logId, verifyOnOpen, checkpointFile);
    }

    public LedgerConfig withTimestampWindow(Duration window) {
        return new LedgerConfig(anchors, contracts, scheme, producerId, producerKey, clock, maxBlockTransactions, maxBlockDelay, window,
                difficultyBits, logId, verifyOnOpen, checkpointFile);
    }

    public LedgerConfig withLogId(String id) {
        return new LedgerConfig(anchors, contracts, scheme, producerId, producerKey, clock, maxBlockTransactions, maxBlockDelay,
                timestampWindow, difficultyBits, id, verifyOnOpen, checkpointFile);
    }

    /** Keeps the latest signed tree head in {@code file} (outside the database) and holds the chain to it on open. */
    public LedgerConfig withCheckpointFile(java.nio.file.Path file) {
        return new LedgerConfig(anchors, contracts, scheme, producerId, producerKey, clock, maxBlockTransactions, maxBlockDelay,
                timestampWindow, difficultyBits, logId, verifyOnOpen, file);
    }

    /** Opens without verifying the stored chain (benchmarks building large chains; never a server). */
    public LedgerConfig withoutOpenVerification() {
        return new LedgerConfig(anchors, contracts, scheme, producerId, producerKey, clock, maxBlockTransactions, maxBlockDelay,
                timestampWindow, difficultyBits, logId, false, checkpointFile);
    }
}
