package org.alongside.search;

import java.util.ArrayList;
import java.util.List;

/** Splitting and unescaping of FHIR search values ({@code \,} {@code \|} {@code \$} {@code \\}). */
final class SearchValues {

    private SearchValues() {
    }

    /** The comma-separated alternatives of a value, still escaped; blank alternatives dropped. */
    static List<String> splitOr(String value) {
        return splitUnescaped(value, ',').stream().filter(s -> !s.isEmpty()).toList();
    }

    static List<String> splitUnescaped(String value, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                current.append(c).append(value.charAt(++i));
            } else if (c == separator) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    static String unescape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                c = value.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }
}
