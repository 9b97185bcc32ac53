package org.medledger.protocol.common;

import java.util.Objects;

/**
 * Associated data of every {@code E_SEK} encryption (PROTOCOLS.md §0): the message label,
 * sender id, receiver id and timestamp, in the labelled encoding.
 */
public record AssociatedData(String label, String senderId, String receiverId, long timestamp) {

    public AssociatedData {
        Objects.requireNonNull(label, "Label is required.");
        Objects.requireNonNull(senderId, "Sender id is required.");
        Objects.requireNonNull(receiverId, "Receiver id is required.");
    }

    public byte[] encode() {
        return LabelledEncoder.of("MEDLEDGER/AEAD-AD").utf8(label).utf8(senderId).utf8(receiverId).int64(timestamp).toByteArray();
    }
}
