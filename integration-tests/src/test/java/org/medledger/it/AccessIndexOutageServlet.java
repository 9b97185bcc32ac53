package org.medledger.it;

import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/**
 * Test-only deployment (never in the EAR): takes the patients' access index ({@code access_entry})
 * away from the application and puts it back, as a database failure of that one table would.
 * POST {@code ?state=away} or {@code ?state=back}.
 */
@WebServlet("/access-index")
public class AccessIndexOutageServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Resource(lookup = "java:jboss/datasources/MedLedgerDS")
    DataSource ds;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        boolean away = "away".equals(req.getParameter("state"));
        String sql = away ? "ALTER TABLE access_entry RENAME TO access_entry_away" : "ALTER TABLE access_entry_away RENAME TO access_entry";
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
            resp.getWriter().write(away ? "away" : "back");
        } catch (SQLException e) {
            resp.setStatus(500);
            resp.getWriter().write(e.getMessage());
        }
    }
}
