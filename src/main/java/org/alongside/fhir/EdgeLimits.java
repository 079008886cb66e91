package org.alongside.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.UrlUtil;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
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
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;
import org.alongside.config.AlongsideConfig;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Limits that must hold before HAPI touches a request, answered with an OperationOutcome:
 * <ul>
 *   <li>414 for a URL longer than {@code alongside.request.max-url-length};</li>
 *   <li>413 for a form-encoded body ({@code POST [type]/_search}) larger than
 *       {@code alongside.request.max-body-bytes}, by Content-Length and while it is read. HAPI reads a form body
 *       (or the container parses it) whole, without a limit, before any interceptor runs, so {@link RequestGuard}
 *       cannot bound it; this filter reads it first, at most the limit, and hands HAPI the bytes and parameters.</li>
 * </ul>
 * Mapped after authentication in web.xml: nothing is read from callers without a valid token.
 */
public class EdgeLimits extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Inject
    transient AlongsideConfig config;

    @Inject
    transient FhirContext fhirContext;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String query = request.getQueryString();
        long urlLength = request.getRequestURI().length() + (query == null ? 0 : query.length() + 1L);
        if (urlLength > config.maxUrlLength()) {
            ServletOutcomes.write(response, fhirContext, 414, OperationOutcome.IssueType.TOOLONG, "The URL is longer"
                    + " than " + config.maxUrlLength() + " characters; send a long search as POST [type]/_search"
                    + " with a form body");
            return;
        }
        if (!isForm(request)) {
            chain.doFilter(request, response);
            return;
        }
        int limit = config.maxBodyBytes();
        byte[] body = request.getContentLengthLong() > limit ? null : readAtMost(request.getInputStream(), limit);
        if (body == null) {
            ServletOutcomes.write(response, fhirContext, 413, OperationOutcome.IssueType.TOOLONG,
                    "Request body larger than " + limit + " bytes");
            return;
        }
        chain.doFilter(new ReadBody(request, body), response);
    }

    private static boolean isForm(HttpServletRequest request) {
        String type = request.getContentType();
        return "POST".equalsIgnoreCase(request.getMethod()) && type != null
                && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    /** The body, or null as soon as it exceeds the limit (the rest is never read). */
    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
            out.write(buffer, 0, n);
            if (out.size() > limit) {
                return null;
            }
        }
        return out.toByteArray();
    }

    /**
     * The request with its form body already read: HAPI reads these bytes, or these parameters (query string first,
     * then the body, as the container would give them), instead of the connection.
     */
    private static final class ReadBody extends HttpServletRequestWrapper {
        private final byte[] body;
        private final Map<String, String[]> parameters;

        ReadBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
            this.parameters = Collections.unmodifiableMap(UrlUtil.parseQueryStrings(request.getQueryString(),
                    new String(body, StandardCharsets.UTF_8)));
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return parameters;
        }

        @Override
        public String getParameter(String name) {
            String[] values = parameters.get(name);
            return values == null || values.length == 0 ? null : values[0];
        }

        @Override
        public String[] getParameterValues(String name) {
            return parameters.get(name);
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(parameters.keySet());
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
                    throw new IllegalStateException("The body has been read already");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
