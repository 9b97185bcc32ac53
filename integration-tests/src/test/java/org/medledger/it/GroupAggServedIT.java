package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medledger.client.ApiProblem;
import org.medledger.client.emrauth.AccessAudit;
import org.medledger.client.group.CircleLedgerAudit;
import org.medledger.client.group.GroupClient;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.group.AggregatedRecord;
import org.medledger.protocol.group.GroupSessionKey;

/**
 * GROUP-AGG served end to end over HTTP, on the real EAR with real Keycloak tokens: a patient
 * opens its care circle at a healthcare center, adds a doctor and two family members (a group of
 * 4), the four devices agree the group key through the server's relay; EHR (healthcare center),
 * EMR (doctor), PHR and APHR (patient) go through the block transformation system onto the
 * ledger; every member reads the aggregated record. A family member leaves: it cannot take part
 * in or obtain the next key, cannot fetch the next upload and its old key does not open it. A
 * newcomer joins: its key opens none of the earlier uploads. The circle's ledger history has
 * exactly the expected entries and verifies; every retrieval is an access entry.
 */
class GroupAggServedIT extends DeployedServer {

    static final GroupClient API = GroupAggParties.API;
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);

    @BeforeAll
    static void servers() throws Exception {
        ItPki.startResponder();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Every listed member runs the current epoch's key agreement at the same time, as their devices would. */
    static List<GroupSessionKey> agree(String groupId, GroupAggParties.Member... members) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(members.length);
        try {
            List<Future<GroupSessionKey>> runs = new ArrayList<>();
            for (GroupAggParties.Member m : members) {
                runs.add(pool.submit(() -> m.device().agree(m.tokens(), groupId, RUN_TIMEOUT)));
            }
            List<GroupSessionKey> out = new ArrayList<>();
            for (Future<GroupSessionKey> f : runs) {
                out.add(f.get());
            }
            for (GroupSessionKey k : out) {
                assertTrue(k.sameKeyAs(out.get(0)), "every member holds the same group key");
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    static String read(GroupAggParties.Member m, String groupId) throws Exception {
        AggregatedRecord r = m.device().read(m.token(), groupId);
        return new String(r.sensitive().reveal(), StandardCharsets.UTF_8);
    }

    @Test
    void aCareCircleOverHttp() throws Exception {
        String hpc = EmrAuthParties.hospital();
        GroupAggParties.Member p = GroupAggParties.patient();
        GroupAggParties.Member d = GroupAggParties.doctor();
        GroupAggParties.Member f1 = GroupAggParties.family();
        GroupAggParties.Member f2 = GroupAggParties.family();

        // The patient opens its circle with its first PHR (epoch 1) and adds three members (epochs 2-4).
        String gid = p.device().openCircle(p.token(), hpc, utf8("PHR: circle opened"), utf8("home BP log, week 1"));
        for (GroupAggParties.Member m : List.of(d, f1, f2)) {
            byte[] key = p.device().memberKey(p.token(), m.id());
            assertArrayEquals(m.device().publicKey(), key, "the owner confirms the member's key fingerprint");
            p.device().add(p.token(), gid, m.id(), key);
        }
        GroupClient.Run run = API.run(p.token(), gid);
        assertEquals(4, run.epoch());
        assertEquals(List.of(p.id(), d.id(), f1.id(), f2.id()), run.memberIds());
        GroupSessionKey epoch4 = agree(gid, p, d, f1, f2).get(0);

        // Uploads through the block transformation system: EHR (healthcare center), EMR (doctor), PHR, APHR (patient).
        API.ehr(Tokens.forUser("hospital-admin"), gid, utf8("EHR: admission"), utf8("admitted 2026-12-01, chest pain"));
        d.device().uploadEmr(d.token(), gid, utf8("EMR: cardiology"), utf8("hypertension stage 2; ACE inhibitor"));
        p.device().uploadPhr(p.token(), gid, utf8("PHR: week 2"), utf8("home BP 150/95"));
        p.device().aggregate(p.token(), gid, utf8("APHR #1"), utf8("aggregated record 1"));
        for (GroupAggParties.Member m : List.of(p, d, f1, f2)) {
            assertEquals("aggregated record 1", read(m, gid), m.id() + " reads the APHR");
        }

        // F2 leaves (epoch 5); the three others agree the next key.
        assertEquals(5, f2.device().remove(f2.token(), gid, f2.id()).epoch());
        GroupSessionKey epoch5 = agree(gid, p, d, f1).get(0);
        assertFalse(epoch5.sameKeyAs(epoch4));
        // The leaver cannot take part in the next key run nor fetch the circle's state, and holds no key of epoch 5.
        ApiProblem leaverRun = assertThrows(ApiProblem.class, () -> f2.device().agree(f2.tokens(), gid, Duration.ofSeconds(5)));
        assertEquals(403, leaverRun.status());
        assertEquals("NOT_A_MEMBER", leaverRun.code());
        assertTrue(f2.device().groupKey(gid, 5).isEmpty());
        // The next upload: the leaver cannot fetch it, and its last key does not open it.
        p.device().aggregate(p.token(), gid, utf8("APHR #2"), utf8("aggregated record 2, after F2 left"));
        assertEquals("NOT_A_MEMBER", assertThrows(ApiProblem.class, () -> API.records(f2.token(), gid)).code());
        GroupClient.Records seenByP = API.records(p.token(), gid);
        GroupClient.StoredBlock aphr2 = seenByP.blocks().get(seenByP.blocks().size() - 1);
        assertEquals(5, aphr2.epoch());
        GroupSessionKey f2Key = f2.device().groupKey(gid, 4).orElseThrow();
        assertThrows(ProtocolException.class, () -> f2.device().read(seenByP, aphr2.block(), f2Key));
        for (GroupAggParties.Member m : List.of(p, d, f1)) {
            assertEquals("aggregated record 2, after F2 left", read(m, gid));
        }

        // A newcomer F3 joins (epoch 6): its key opens neither earlier APHR.
        GroupAggParties.Member f3 = GroupAggParties.family();
        p.device().add(p.token(), gid, f3.id(), p.device().memberKey(p.token(), f3.id()));
        GroupSessionKey epoch6 = agree(gid, p, d, f1, f3).get(0);
        assertFalse(epoch6.sameKeyAs(epoch5));
        ProtocolException noKey = assertThrows(ProtocolException.class, () -> read(f3, gid));
        assertTrue(noKey.getMessage().contains("epoch 5"), noKey.getMessage());
        GroupClient.Records seenByF3 = API.records(f3.token(), gid);
        GroupSessionKey f3Key = f3.device().groupKey(gid, 6).orElseThrow();
        for (GroupClient.StoredBlock b : seenByF3.blocks()) {
            if (b.block().record().kind() == org.medledger.protocol.group.RecordKind.APHR) {
                assertThrows(ProtocolException.class, () -> f3.device().read(seenByF3, b.block(), f3Key));
            }
        }
        p.device().aggregate(p.token(), gid, utf8("APHR #3"), utf8("aggregated record 3"));
        assertEquals("aggregated record 3", read(f3, gid));

        // The circle's history on the ledger: exactly these entries, each included under the producer-signed head.
        List<String> history = CircleLedgerAudit.verify(API.ledger(p.token(), gid), gid, p.id(), null).stream()
                .map(CircleLedgerAudit.Entry::toString).toList();
        assertEquals(List.of(
                "upload|" + p.id() + "|PHR",
                "group-join|" + p.id() + "|" + d.id(),
                "group-join|" + p.id() + "|" + f1.id(),
                "group-join|" + p.id() + "|" + f2.id(),
                "upload|" + hpc + "|EHR",
                "upload|" + d.id() + "|EMR",
                "upload|" + p.id() + "|PHR",
                "upload|" + p.id() + "|APHR",
                "group-leave|" + f2.id() + "|" + f2.id(),
                "upload|" + p.id() + "|APHR",
                "group-join|" + p.id() + "|" + f3.id(),
                "upload|" + p.id() + "|APHR"), history);

        // Every retrieval was an access entry on the ledger, signed by the healthcare center; the patient verifies them.
        AccessAudit.Verified audit = AccessAudit.verify(EmrAuthParties.API.accesses(p.token(), 0), p.id(), null, 0, null);
        List<String> accessors = audit.accesses().stream()
                .map(a -> a.holderId() + "|" + a.accessorId() + "|" + a.outcome() + "|" + a.reason()).toList();
        List<String> expected = new ArrayList<>();
        // aggregate #1, reads by P, D, F1, F2; aggregate #2, P's view, reads by P, D, F1; F3's refused read (no key: the
        // records were released, the device could not open them) and its view; aggregate #3, read by F3
        for (String who : List.of(p.id(), p.id(), d.id(), f1.id(), f2.id(), p.id(), p.id(), p.id(), d.id(), f1.id(), f3.id(), f3.id(),
                p.id(), f3.id())) {
            expected.add(hpc + "|" + who + "|released|GROUP_MEMBER");
        }
        assertEquals(expected, accessors);
    }
}
