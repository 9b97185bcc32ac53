package org.medledger.it.probe;

import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * Deployed beside the EAR by {@code LedgerForkIT} only: writes to the application's database
 * behind the ledger node's back, as another process with database access would.
 * {@code POST ?op=fork} appends a foreign block row (the next number, another hash);
 * {@code POST ?op=unfork} removes it again; {@code POST ?op=forget-doctor&id=X} deletes the KGC's
 * record of doctor X (as if its registration's transaction had rolled back after the ledger commit).
 */
@WebServlet("/probe")
public class LedgerProbeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Resource(lookup = "java:jboss/datasources/MedLedgerDS")
    private DataSource ds;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try (Connection c = ds.getConnection()) {
            int n = switch (String.valueOf(req.getParameter("op"))) {
                case "fork" -> fork(c);
                case "unfork" -> c.createStatement().executeUpdate(
                        "DELETE FROM ledger_block WHERE block_number = (SELECT MAX(block_number) FROM ledger_block)"
                                + " AND producer = 'rogue-producer'");
                case "forget-doctor" -> {
                    try (PreparedStatement s = c.prepareStatement("DELETE FROM kgc_doctor_registration WHERE doctor_id = ?")) {
                        s.setString(1, req.getParameter("id"));
                        yield s.executeUpdate();
                    }
                }
                default -> -1;
            };
            resp.setStatus(n >= 0 ? 200 : 400);
            resp.getWriter().print(n);
        } catch (SQLException e) {
            resp.setStatus(500);
            resp.getWriter().print(e.getMessage());
        }
    }

    /** A copy of the last block row at the next number, with another hash and producer. */
    private static int fork(Connection c) throws SQLException {
        byte[] hash = new byte[32];
        new SecureRandom().nextBytes(hash);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO ledger_block (block_number, block_hash, previous_hash, tx_root,"
                + " first_log_index, tx_count, log_root, created_at, first_tx_time, last_tx_time, producer, nonce, difficulty_bits,"
                + " producer_signature) SELECT block_number + 1, ?, block_hash, tx_root, first_log_index + tx_count, 1, log_root,"
                + " created_at + 1, first_tx_time, last_tx_time, 'rogue-producer', nonce, difficulty_bits, producer_signature"
                + " FROM ledger_block WHERE block_number = (SELECT MAX(block_number) FROM ledger_block)")) {
            s.setBytes(1, hash);
            return s.executeUpdate();
        }
    }
}
