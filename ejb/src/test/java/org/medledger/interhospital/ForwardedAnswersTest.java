package org.medledger.interhospital;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medledger.platform.Migrations;
import org.medledger.platform.NowAndThen;

/**
 * The authority keeps a forwarded request's answer only while a retry of it can still be accepted
 * (the table migrated on H2, the native queries run as written).
 */
class ForwardedAnswersTest {

    static final long T0 = 1_800_000_000_000L;
    Connection db;

    @BeforeEach
    void database() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:forwarded-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Migrations.migrate(ds, getClass().getClassLoader());
        db = ds.getConnection();
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    @Test
    void anAnswerServesRetriesWithinTheProofWindowsAndIsDroppedAfter() throws Exception {
        // a retry is accepted while its proof is fresh: at most twice the longest window after the answer
        assertTrue(ForwardedAnswers.RETENTION.compareTo(Duration.ofMinutes(10)) > 0);
        ForwardedAnswers answers = new ForwardedAnswers(em(), new NowAndThen(Duration.ofMinutes(1)));
        byte[] sealed = {1, 2, 3};
        answers.keep("k1", "hpb", ConsortiumAuthority.REGISTRATION, sealed, T0);
        long retention = ForwardedAnswers.RETENTION.toMillis();
        assertArrayEquals(sealed, answers.earlier("k1", T0 + 1_000).orElseThrow());
        assertArrayEquals(sealed, answers.earlier("k1", T0 + retention).orElseThrow(), "a late retry still gets the first answer");
        answers.keep("k2", "hpb", ConsortiumAuthority.RENEWAL, new byte[] {4}, T0 + retention);
        assertEquals(2, rows());
        // past the retention the answer is gone: read no more, and deleted by the next request due to purge
        assertTrue(answers.earlier("k1", T0 + retention + 1).isEmpty());
        long later = T0 + retention + Duration.ofMinutes(2).toMillis();
        assertTrue(answers.earlier("other", later).isEmpty());
        assertEquals(1, rows(), "the expired answer is deleted, the recent one kept");
        assertArrayEquals(new byte[] {4}, answers.earlier("k2", later).orElseThrow());
    }

    @Test
    void theTableIsPurgedAtMostOnceAMinute() throws Exception {
        NowAndThen purge = new NowAndThen(Duration.ofMinutes(1));
        ForwardedAnswers answers = new ForwardedAnswers(em(), purge);
        long retention = ForwardedAnswers.RETENTION.toMillis();
        answers.earlier("x", T0); // purges (nothing yet)
        answers.keep("k1", "hpb", ConsortiumAuthority.REGISTRATION, new byte[] {1}, T0 - retention - 1);
        answers.earlier("x", T0 + 30_000);
        assertEquals(1, rows(), "within the minute nothing is deleted");
        answers.earlier("x", T0 + 61_000);
        assertEquals(0, rows());
    }

    private long rows() throws Exception {
        try (ResultSet rs = db.createStatement().executeQuery("SELECT COUNT(*) FROM consortium_forwarded")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** An entity manager whose native queries run on the test database ({@code ?n} parameters). */
    private EntityManager em() {
        return (EntityManager) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {EntityManager.class}, (p, m, args) -> {
            if (!m.getName().equals("createNativeQuery") || args.length != 1) {
                throw new UnsupportedOperationException(m.getName());
            }
            String sql = (String) args[0];
            Map<Integer, Object> params = new TreeMap<>();
            return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Query.class}, (q, qm, qa) -> {
                switch (qm.getName()) {
                    case "setParameter" -> {
                        params.put((Integer) qa[0], qa[1]);
                        return q;
                    }
                    case "executeUpdate" -> {
                        try (PreparedStatement s = prepare(sql, params)) {
                            return s.executeUpdate();
                        }
                    }
                    case "getResultList" -> {
                        try (PreparedStatement s = prepare(sql, params); ResultSet rs = s.executeQuery()) {
                            List<Object> out = new ArrayList<>();
                            while (rs.next()) {
                                out.add(rs.getObject(1));
                            }
                            return out;
                        }
                    }
                    default -> throw new UnsupportedOperationException(qm.getName());
                }
            });
        });
    }

    private PreparedStatement prepare(String sql, Map<Integer, Object> params) throws Exception {
        Matcher m = Pattern.compile("\\?(\\d+)").matcher(sql);
        List<Object> ordered = new ArrayList<>();
        while (m.find()) {
            ordered.add(params.get(Integer.parseInt(m.group(1))));
        }
        PreparedStatement s = db.prepareStatement(m.replaceAll("?"));
        for (int i = 0; i < ordered.size(); i++) {
            s.setObject(i + 1, ordered.get(i));
        }
        return s;
    }
}
