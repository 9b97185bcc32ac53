package org.medledger.it;

import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * Test-only deployment (never in the EAR): changes one stored ledger row behind the
 * application's back, as an operator with database access could, and puts it back.
 * POST {@code logIndex} and {@code delta} (added to the row's nonce).
 */
@WebServlet("/row")
public class LedgerTamperServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Resource(lookup = "java:jboss/datasources/MedLedgerDS")
    DataSource ds;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long logIndex = Long.parseLong(req.getParameter("logIndex"));
        long delta = Long.parseLong(req.getParameter("delta"));
        try (Connection c = ds.getConnection();
             PreparedStatement s = c.prepareStatement("update ledger_transaction set nonce = nonce + ? where log_index = ?")) {
            s.setLong(1, delta);
            s.setLong(2, logIndex);
            resp.getWriter().write(Integer.toString(s.executeUpdate()));
        } catch (SQLException e) {
            resp.setStatus(500);
            resp.getWriter().write(e.getMessage());
        }
    }
}
