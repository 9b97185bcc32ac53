package org.medledger.group;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.medledger.platform.DomainException;

/** The circles' database state (tables {@code ga_circle}, {@code ga_member}, {@code ga_member_key}), in the caller's transaction. */
@Stateless
public class GroupCircles {

    /** ID_G: 128 random bits in hex, chosen by the patient's device. */
    public static final Pattern GROUP_ID = Pattern.compile("[0-9a-f]{32}");

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    /** A circle: its id, owner (the patient), the healthcare center serving it and the current epoch. */
    public record Circle(String groupId, String ownerId, String hospitalId, long epoch) {
    }

    /** A current member in ring order, with its role and Chebyshev public key. */
    public record Member(String memberId, String role, byte[] publicKey, long position) {
    }

    public static String requireGroupId(String groupId) throws DomainException {
        if (groupId == null || !GROUP_ID.matcher(groupId).matches()) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_GROUP_ID", "a group id is 32 lowercase hex digits");
        }
        return groupId;
    }

    public Optional<Circle> find(String groupId) {
        List<?> rows = em.createNativeQuery("SELECT owner_id, hospital_id, epoch FROM ga_circle WHERE group_id = ?1")
                .setParameter(1, groupId).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new Circle(groupId, (String) r[0], (String) r[1], ((Number) r[2]).longValue()));
    }

    /** The circle, locked for a membership change (epochs move one at a time). */
    public Circle require(String groupId) throws DomainException {
        requireGroupId(groupId);
        return find(groupId).orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND, "UNKNOWN_GROUP",
                "no care circle " + groupId));
    }

    public Circle lock(String groupId) throws DomainException {
        Circle c = require(groupId);
        em.createNativeQuery("UPDATE ga_circle SET epoch = epoch WHERE group_id = ?1").setParameter(1, groupId).executeUpdate();
        return find(groupId).orElseThrow();
    }

    /** Current members in ring order. */
    public List<Member> members(String groupId) {
        List<Member> out = new ArrayList<>();
        for (Object o : em.createNativeQuery("SELECT m.member_id, k.member_role, k.public_key, m.position FROM ga_member m "
                        + "JOIN ga_member_key k ON k.member_id = m.member_id "
                        + "WHERE m.group_id = ?1 AND m.left_epoch IS NULL ORDER BY m.position")
                .setParameter(1, groupId).getResultList()) {
            Object[] r = (Object[]) o;
            out.add(new Member((String) r[0], (String) r[1], (byte[]) r[2], ((Number) r[3]).longValue()));
        }
        return out;
    }

    public boolean isCurrentMember(String groupId, String memberId) {
        return !em.createNativeQuery("SELECT position FROM ga_member WHERE group_id = ?1 AND member_id = ?2 AND left_epoch IS NULL")
                .setParameter(1, groupId).setParameter(2, memberId).getResultList().isEmpty();
    }

    /** The caller must be a current member of the circle. */
    public Circle requireMember(String groupId, String callerId) throws DomainException {
        Circle c = require(groupId);
        if (!isCurrentMember(groupId, callerId)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_A_MEMBER", "only the circle's current members may do this");
        }
        return c;
    }

    /** A registered member key: role and T_s(x). */
    public Optional<Member> memberKey(String memberId) {
        List<?> rows = em.createNativeQuery("SELECT member_role, public_key FROM ga_member_key WHERE member_id = ?1")
                .setParameter(1, memberId).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new Member(memberId, (String) r[0], (byte[]) r[1], -1));
    }

    public void insertKey(String memberId, String role, byte[] publicKey) {
        em.createNativeQuery("INSERT INTO ga_member_key (member_id, member_role, public_key, registered_at) VALUES (?1, ?2, ?3, ?4)")
                .setParameter(1, memberId).setParameter(2, role).setParameter(3, publicKey)
                .setParameter(4, System.currentTimeMillis()).executeUpdate();
    }

    public void insertCircle(String groupId, String ownerId, String hospitalId, long epoch) {
        em.createNativeQuery("INSERT INTO ga_circle (group_id, owner_id, hospital_id, epoch, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, groupId).setParameter(2, ownerId).setParameter(3, hospitalId).setParameter(4, epoch)
                .setParameter(5, System.currentTimeMillis()).executeUpdate();
    }

    public void addMember(String groupId, String memberId, long epoch, long logIndex) {
        Number max = (Number) em.createNativeQuery("SELECT MAX(position) FROM ga_member WHERE group_id = ?1")
                .setParameter(1, groupId).getSingleResult();
        long position = max == null ? 0 : max.longValue() + 1;
        em.createNativeQuery("INSERT INTO ga_member (group_id, member_id, position, joined_epoch, join_log_index) VALUES (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, groupId).setParameter(2, memberId).setParameter(3, position).setParameter(4, epoch)
                .setParameter(5, logIndex).executeUpdate();
    }

    public void removeMember(String groupId, String memberId, long epoch, long logIndex) {
        em.createNativeQuery("UPDATE ga_member SET left_epoch = ?3, leave_log_index = ?4 WHERE group_id = ?1 AND member_id = ?2 "
                        + "AND left_epoch IS NULL")
                .setParameter(1, groupId).setParameter(2, memberId).setParameter(3, epoch).setParameter(4, logIndex).executeUpdate();
    }

    public void setEpoch(String groupId, long epoch) {
        em.createNativeQuery("UPDATE ga_circle SET epoch = ?2 WHERE group_id = ?1").setParameter(1, groupId).setParameter(2, epoch)
                .executeUpdate();
    }
}
