package org.medledger.protocol.group;

/**
 * Who belongs to a group {@code ID_G}: only members write the group's index (PHR and APHR blocks
 * addressed to {@code group:<GID>}). The server backs it with the ledger's {@code group-agg}
 * membership (owner, {@code group-join}, {@code group-leave}).
 */
@FunctionalInterface
public interface GroupMembership {

    boolean isMember(String groupId, String memberId);
}
