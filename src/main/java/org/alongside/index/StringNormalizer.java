package org.alongside.index;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** FHIR string search matches case- and accent-insensitively: index and query go through the same fold. */
public final class StringNormalizer {

    public static final int MAX_LENGTH = 255;
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    private StringNormalizer() {
    }

    public static String normalize(String text) {
        String folded = MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFD)).replaceAll("")
                .toLowerCase(Locale.ROOT);
        return truncate(folded);
    }

    public static String truncate(String text) {
        return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH);
    }
}
