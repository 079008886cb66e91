package org.alongside.fhir;

/**
 * Measures how deeply a request body nests, in one linear pass and without building anything, so that
 * bodies crafted to exhaust a recursive parser's stack are refused before any parser sees them.
 */
final class NestingDepth {

    private NestingDepth() {
    }

    /** Deepest nesting of objects and arrays, ignoring brackets inside strings. */
    static int json(byte[] body) {
        int depth = 0;
        int max = 0;
        boolean inString = false;
        for (int i = 0; i < body.length; i++) {
            byte b = body[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                max = Math.max(max, ++depth);
            } else if (b == '}' || b == ']') {
                depth--;
            }
        }
        return max;
    }

    /** Deepest element nesting; skips declarations, comments, processing instructions and quoted attributes. */
    static int xml(byte[] body) {
        int depth = 0;
        int max = 0;
        int i = 0;
        while (i < body.length) {
            if (body[i] != '<') {
                i++;
                continue;
            }
            if (startsWith(body, i, "<!--")) {
                i = indexOf(body, i + 4, "-->") + 3;
                continue;
            }
            if (startsWith(body, i, "<![CDATA[")) {
                i = indexOf(body, i + 9, "]]>") + 3;
                continue;
            }
            byte next = i + 1 < body.length ? body[i + 1] : 0;
            if (next == '/') {
                depth--;
            } else if (next != '!' && next != '?') {
                max = Math.max(max, ++depth);
            }
            // find the end of the tag, stepping over quoted attribute values
            byte quote = 0;
            int j = i + 1;
            while (j < body.length && (quote != 0 || body[j] != '>')) {
                if (quote == 0 && (body[j] == '"' || body[j] == '\'')) {
                    quote = body[j];
                } else if (body[j] == quote) {
                    quote = 0;
                }
                j++;
            }
            if (next != '/' && next != '!' && next != '?' && j > i && body[j - 1] == '/') {
                depth--; // self-closing element
            }
            i = j + 1;
        }
        return max;
    }

    private static boolean startsWith(byte[] body, int at, String prefix) {
        if (at + prefix.length() > body.length) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (body[at + k] != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Position of {@code marker} at or after {@code from}; the end of the body when absent. */
    private static int indexOf(byte[] body, int from, String marker) {
        for (int at = from; at < body.length; at++) {
            if (startsWith(body, at, marker)) {
                return at;
            }
        }
        return body.length;
    }
}
