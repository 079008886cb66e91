package org.alongside.mentorship;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How a session note is written (code system note-format): free text, or the headed sections of DAP or GIRP. A
 * structured note is stored as one text with a heading at the start of each section's first line ("Data: ..."), so
 * any system that shows Procedure.note shows a readable note; the web app mirrors this in notes.js.
 */
public enum NoteFormat {
    FREE("free"),
    DAP("dap", "Data", "Assessment", "Plan"),
    GIRP("girp", "Goal", "Intervention", "Response", "Plan");

    private final String code;
    private final List<String> headings;

    NoteFormat(String code, String... headings) {
        this.code = code;
        this.headings = List.of(headings);
    }

    public String code() {
        return code;
    }

    /** The section headings, in order; empty for free text. */
    public List<String> headings() {
        return headings;
    }

    public boolean structured() {
        return !headings.isEmpty();
    }

    /** The format of a code; null or blank is free text. */
    public static NoteFormat of(String code) {
        if (code == null || code.isBlank()) {
            return FREE;
        }
        for (NoteFormat f : values()) {
            if (f.code.equals(code)) {
                return f;
            }
        }
        throw new InvalidRequestException("format must be free, dap or girp, not " + code);
    }

    /** The note text with each section under its heading; sections in heading order. */
    public String compose(List<String> sections) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < headings.size(); i++) {
            String text = i < sections.size() && sections.get(i) != null ? sections.get(i).trim() : "";
            parts.add(headings.get(i) + ": " + text);
        }
        return String.join("\n\n", parts);
    }

    /**
     * The sections of a note text, by heading: a line that starts with one of this format's headings and a colon
     * starts that section; text before the first heading belongs to none.
     */
    public Map<String, String> sections(String text) {
        Map<String, StringBuilder> found = new LinkedHashMap<>();
        StringBuilder current = null;
        for (String line : (text == null ? "" : text).split("\n", -1)) {
            String stripped = line.stripLeading();
            String heading = headingOf(stripped);
            if (heading != null && !found.containsKey(heading)) {
                current = new StringBuilder(stripped.substring(heading.length() + 1).trim());
                found.put(heading, current);
            } else if (current != null) {
                current.append('\n').append(line);
            }
        }
        return found.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue().toString().trim(), (a, b) -> a, LinkedHashMap::new));
    }

    /** The headings whose section is missing or empty in the text. */
    public List<String> missing(String text) {
        Map<String, String> sections = sections(text);
        return headings.stream().filter(h -> sections.getOrDefault(h, "").isEmpty()).toList();
    }

    private String headingOf(String line) {
        String lower = line.toLowerCase(Locale.ROOT);
        for (String heading : headings) {
            if (lower.startsWith(heading.toLowerCase(Locale.ROOT) + ":")) {
                return heading;
            }
        }
        return null;
    }
}
