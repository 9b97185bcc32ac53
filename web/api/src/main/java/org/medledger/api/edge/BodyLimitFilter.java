package org.medledger.api.edge;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.inject.Inject;

import org.medledger.api.metrics.ServerMetrics;
import org.medledger.api.problem.Problem;

/**
 * Refuses request bodies larger than the limit configured by
 * {@code wildfly-config/configure-api-limits.cli} (system property {@value #LIMIT_PROPERTY},
 * bytes) with 413 problem {@code BODY_TOO_LARGE} stating the limit, before any resource reads the
 * body. A declared {@code Content-Length} is checked without reading; a body of unknown length
 * (chunked) is read up to the limit and handed on from memory. Without the property the
 * deployment does not start.
 */
@WebFilter(urlPatterns = "/*", dispatcherTypes = DispatcherType.REQUEST)
public class BodyLimitFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    public static final String LIMIT_PROPERTY = "medledger.api.max-body-bytes";

    private long limit;

    @Inject
    transient ServerMetrics metrics;

    @Override
    public void init(FilterConfig config) throws ServletException {
        limit = configuredLimit(System.getProperty(LIMIT_PROPERTY));
    }

    static long configuredLimit(String value) throws ServletException {
        long v;
        try {
            v = value == null ? -1 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            v = -1;
        }
        if (v < 1 || v > Integer.MAX_VALUE - 8) {
            throw new ServletException("system property " + LIMIT_PROPERTY
                    + " must be a positive byte count; apply wildfly-config/configure-api-limits.cli");
        }
        return v;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            refuse(response);
            return;
        }
        if (declared < 0 && request.getHeader("Transfer-Encoding") != null) {
            byte[] body = readAtMost(request.getInputStream(), limit);
            if (body == null) {
                refuse(response);
                return;
            }
            chain.doFilter(new Buffered(request, body), response);
            return;
        }
        chain.doFilter(request, response);
    }

    /** The whole stream if it holds at most {@code max} bytes, otherwise null. */
    static byte[] readAtMost(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) != -1; ) {
            if (out.size() + (long) n > max) {
                return null;
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private void refuse(HttpServletResponse response) throws IOException {
        Problem p = new Problem(413, "BODY_TOO_LARGE", "Content too large",
                "the request body exceeds the limit of " + limit + " bytes");
        metrics.problem(413, p.code());
        response.setStatus(413);
        response.setContentType(Problem.MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(p.json().add("maxBodyBytes", limit).build().toString());
    }

    /** A request whose body was read into memory by the filter. */
    private static final class Buffered extends HttpServletRequestWrapper {
        private final byte[] body;

        Buffered(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("the body is already in memory");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String enc = getCharacterEncoding();
            Charset cs = enc == null ? StandardCharsets.UTF_8 : Charset.forName(enc);
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), cs));
        }
    }
}
