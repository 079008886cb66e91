package org.alongside.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Checks every request before HAPI picks a handler: method allowed for the URL (405), a FHIR media type for
 * bodies (415), body size (413), nesting depth of JSON or XML (400), and the body's characters (400: not valid in
 * its charset, or control characters in JSON strings; see {@link BodyText}). Throwing here lets HAPI answer with an
 * OperationOutcome in the negotiated format, and nothing has been written yet.
 */
@Interceptor
public class RequestGuard {

    private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");
    /** JSON Patch's media type, a body only PATCH takes (FHIRPath Patch comes as a FHIR Parameters resource). */
    private static final String JSON_PATCH = "application/json-patch+json";
    private static final Set<String> FHIR_MEDIA_TYPES = Set.of("application/fhir+json", "application/json",
            "application/json+fhir", "application/fhir+xml", "application/xml", "application/xml+fhir", "text/xml");

    private final int maxBodyBytes;
    private final int maxNestingDepth;
    private final Set<String> readOnlyTypes;

    public RequestGuard(int maxBodyBytes, int maxNestingDepth, Set<String> readOnlyTypes) {
        this.maxBodyBytes = maxBodyBytes;
        this.maxNestingDepth = maxNestingDepth;
        this.readOnlyTypes = Set.copyOf(readOnlyTypes);
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLER_SELECTED)
    public void check(RequestDetails request, HttpServletRequest servletRequest) {
        String method = servletRequest.getMethod().toUpperCase(Locale.ROOT);
        Set<String> allowed = AllowedMethods.forPath(request.getRequestPath(), readOnlyTypes);
        if (!allowed.isEmpty() && !AllowedMethods.allows(allowed, method)) {
            MethodNotAllowedException e = new MethodNotAllowedException(method + " is not allowed on /"
                    + request.getRequestPath() + "; allowed: " + String.join(", ", allowed));
            e.addResponseHeader("Allow", String.join(", ", allowed));
            throw e;
        }
        if (!BODY_METHODS.contains(method)) {
            return;
        }
        String contentType = servletRequest.getContentType();
        String mediaType = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (mediaType.equals("application/x-www-form-urlencoded") && request.getRequestPath().endsWith("_search")) {
            return; // POST search: EdgeLimits bounded the form body before HAPI read it
        }
        if (servletRequest.getContentLengthLong() > maxBodyBytes) {
            throw tooLarge();
        }
        byte[] body = readBody(servletRequest);
        if (body.length == 0 && mediaType.isEmpty()) {
            return;
        }
        boolean jsonPatch = method.equals("PATCH") && mediaType.equals(JSON_PATCH);
        if (!FHIR_MEDIA_TYPES.contains(mediaType) && !jsonPatch) {
            throw new UnclassifiedServerFailureException(415, "Unsupported media type '" + mediaType
                    + "'; send application/fhir+json or application/fhir+xml"
                    + (method.equals("PATCH") ? " (FHIRPath Patch), or " + JSON_PATCH : ""));
        }
        int depth = mediaType.contains("json") ? NestingDepth.json(body) : NestingDepth.xml(body);
        if (depth > maxNestingDepth) {
            throw new InvalidRequestException("Request body nests deeper than " + maxNestingDepth + " levels");
        }
        BodyText.requireValidEncoding(body, charsetOf(servletRequest));
        if (mediaType.contains("json")) {
            BodyText.requireNoControlCharacters(body);
        }
        request.setRequestContents(body);
    }

    private byte[] readBody(HttpServletRequest request) {
        try (InputStream raw = request.getInputStream();
             InputStream in = "gzip".equalsIgnoreCase(request.getHeader("Content-Encoding"))
                     ? inflating(raw) : raw) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                if (out.size() > maxBodyBytes) {
                    throw tooLarge();
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new InvalidRequestException("Could not read the request body: " + e.getClass().getSimpleName());
        }
    }

    /**
     * Liberty may already have inflated a gzip body (httpOptions autoDecompression), depending on how the
     * request was wrapped on its way here: inflate only what still starts with the gzip magic bytes.
     */
    private static InputStream inflating(InputStream raw) throws IOException {
        java.io.PushbackInputStream in = new java.io.PushbackInputStream(raw, 2);
        int first = in.read();
        int second = first < 0 ? -1 : in.read();
        if (second >= 0) {
            in.unread(second);
        }
        if (first >= 0) {
            in.unread(first);
        }
        return first == 0x1f && second == 0x8b ? new GZIPInputStream(in) : in;
    }

    /** The Content-Type's charset, UTF-8 when it names none (as HAPI reads it). */
    private static Charset charsetOf(HttpServletRequest request) {
        String name = request.getCharacterEncoding();
        try {
            return name == null || name.isBlank() ? StandardCharsets.UTF_8 : Charset.forName(name.trim());
        } catch (IllegalArgumentException e) {
            throw new UnclassifiedServerFailureException(415, "Unsupported charset in Content-Type; send UTF-8");
        }
    }

    private PayloadTooLargeException tooLarge() {
        return new PayloadTooLargeException("Request body larger than " + maxBodyBytes + " bytes");
    }
}
