package org.medledger.portal;

import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.medledger.audit.AuditEventExport;

/** The access log as FHIR R4 AuditEvent resources (IHE BALP) in one Bundle, for a SIEM (auditors only, web.xml). */
@WebServlet("/auditor/audit-events.json")
public class AuditEventsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @EJB
    AuditEventExport export;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] body = export.bundleJson().getBytes(StandardCharsets.UTF_8);
        resp.setContentType("application/fhir+json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("Content-Disposition", "attachment; filename=\"medledger-audit-events.json\"");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
