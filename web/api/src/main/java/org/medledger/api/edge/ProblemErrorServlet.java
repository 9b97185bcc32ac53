package org.medledger.api.edge;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

import jakarta.inject.Inject;

import org.medledger.api.metrics.ServerMetrics;
import org.medledger.api.problem.Problem;
import org.medledger.api.problem.ProblemMappers;

/**
 * The API's error page (web.xml {@code <error-page>}): whatever the container refuses on its own —
 * 401 from the bearer-token check, 404 outside the JAX-RS resources, 413 from the listener — is
 * answered as problem+json with the stable code of {@link ProblemMappers#forStatus(int)} instead
 * of the container's HTML page. Headers already set (e.g. {@code WWW-Authenticate}) are kept.
 */
@WebServlet(ProblemErrorServlet.PATH)
public class ProblemErrorServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    static final String PATH = "/problem-error";

    @Inject
    ServerMetrics metrics;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // requested directly instead of as an error page: there is no such resource
        int status = code instanceof Integer i && i >= 400 ? i : 404;
        Problem p = ProblemMappers.forStatus(status);
        metrics.problem(status, p.code());
        response.setStatus(status);
        response.setContentType(Problem.MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(p.toJson());
    }
}
