package org.alongside.app;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Caching and compression for the web app's files. Vite names scripts and styles under /app/assets/ by their
 * content hash, so they never change under a name: cached for a year, immutable. The pages (HTML) name those files,
 * so they are revalidated on every load (no-cache, with an ETag that makes the answer a 304 when nothing changed).
 * The build precompresses each file (build/compress.mjs writes name.gz beside it); a browser that accepts gzip gets
 * that copy. Whatever has no .gz copy is left to the container, with the same Cache-Control. The service worker
 * (/app/sw.js, not hashed) is revalidated like a page, so a new build's worker is found at once; scripts go out as
 * text/javascript, the type browsers require of a worker.
 */
@WebFilter(urlPatterns = {"/app/*", "/favicon.ico"})
public class AppAssets extends HttpFilter {

    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    static final String REVALIDATE = "no-cache";
    static final String FAVICON = "public, max-age=86400";
    static final String JAVASCRIPT = "text/javascript;charset=UTF-8";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean read = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        if (!read || path.equals("/app/config.json")) { // the settings servlet sets its own headers
            chain.doFilter(request, response);
            return;
        }
        String file = path.endsWith("/") ? path + "index.html" : path;
        response.setHeader("Cache-Control", cacheControl(file));
        response.setHeader("Vary", "Accept-Encoding");
        byte[] gzipped = acceptsGzip(request) ? resource(file + ".gz") : null;
        if (gzipped == null) {
            chain.doFilter(request, file.endsWith(".js") ? javascript(response) : response);
            return;
        }
        String etag = "\"" + digest(gzipped) + "-gz\"";
        response.setHeader("ETag", etag);
        if (etag.equals(request.getHeader("If-None-Match"))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        String type = file.endsWith(".js") ? "text/javascript" : request.getServletContext().getMimeType(file);
        response.setContentType(type == null ? "application/octet-stream"
                : type.startsWith("text/") || type.contains("javascript") ? type + ";charset=UTF-8" : type);
        response.setHeader("Content-Encoding", "gzip");
        response.setContentLength(gzipped.length);
        if ("GET".equals(request.getMethod())) {
            response.getOutputStream().write(gzipped);
        }
    }

    static String cacheControl(String file) {
        if (file.startsWith("/app/assets/")) {
            return IMMUTABLE;
        }
        return file.equals("/favicon.ico") ? FAVICON : REVALIDATE;
    }

    /** The container's own type for .js may be another (application/javascript): a worker needs text/javascript. */
    private static HttpServletResponse javascript(HttpServletResponse response) {
        response.setContentType(JAVASCRIPT);
        return new HttpServletResponseWrapper(response) {
            @Override
            public void setContentType(String type) {
                super.setContentType(JAVASCRIPT);
            }

            @Override
            public void setHeader(String name, String value) {
                super.setHeader(name, "Content-Type".equalsIgnoreCase(name) ? JAVASCRIPT : value);
            }
        };
    }

    private static boolean acceptsGzip(HttpServletRequest request) {
        String accepted = request.getHeader("Accept-Encoding");
        return accepted != null && accepted.toLowerCase(java.util.Locale.ROOT).contains("gzip");
    }

    private byte[] resource(String file) throws IOException {
        if (file.contains("..")) {
            return null;
        }
        try (InputStream in = getServletContext().getResourceAsStream(file)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
