package org.alongside.search;

import java.util.OptionalLong;
import java.util.regex.Pattern;

/** The shapes of FHIR ids, references and version ETags, parsed in one place. */
public final class FhirIds {

    /** R4 logical id: 1 to 64 of A-Z, a-z, 0-9, '-' and '.'. */
    private static final Pattern LOGICAL_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final String HISTORY = "/_history/";

    private FhirIds() {
    }

    public static boolean isLogicalId(String id) {
        return id != null && LOGICAL_ID.matcher(id).matches();
    }

    /** {@code Type/id/_history/3} without its version part; any other text as it is. */
    public static String withoutVersion(String reference) {
        int history = reference.indexOf(HISTORY);
        return history < 0 ? reference : reference.substring(0, history);
    }

    /** The last path segment of a reference ({@code Patient/p1} gives {@code p1}). */
    public static String idPart(String reference) {
        int slash = reference.lastIndexOf('/');
        return slash < 0 ? reference : reference.substring(slash + 1);
    }

    /** The version named by an ETag ({@code W/"3"} or {@code "3"}); empty when it names no version number. */
    public static OptionalLong versionOfETag(String etag) {
        return versionNumber(etag.trim().replaceFirst("^W/", "").replace("\"", ""));
    }

    /** A version id ({@code 3}); empty when it is not a number. */
    public static OptionalLong versionNumber(String version) {
        try {
            return OptionalLong.of(Long.parseLong(version));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
