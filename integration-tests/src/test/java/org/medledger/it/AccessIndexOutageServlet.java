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
 * or the replay guard's table ({@code replay_record}) away from the application and puts it back,
 * as a database failure of that one table would.
 * POST {@code ?state=away} or {@code ?state=back}, optionally {@code &table=replay_record}.
 */
@WebServlet("/access-index")
public class AccessIndexOutageServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Resource(lookup = "java:jboss/datasources/MedLedgerDS")
    DataSource ds;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        boolean away = "away".equals(req.getParameter("state"));
        String table = "replay_record".equals(req.getParameter("table")) ? "replay_record" : "access_entry";
        String sql = away ? "ALTER TABLE " + table + " RENAME TO " + table + "_away"
                : "ALTER TABLE " + table + "_away RENAME TO " + table;
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
            resp.getWriter().write(away ? "away" : "back");
        } catch (SQLException e) {
            resp.setStatus(500);
            resp.getWriter().write(e.getMessage());
        }
    }
}
