package org.alongside.interaction;

import java.util.Optional;
import org.alongside.search.PageCursor;

/**
 * Where a page of {@code $everything} starts: which search of the walk (the Patient, then each compartment type and
 * parameter) and where inside that search. Like every page cursor of this server it is all the state there is, so
 * any instance can answer the next page.
 *
 * @param pass  the search of the walk, counted from 0
 * @param inner where that search's page starts, or null for its beginning
 */
public record EverythingCursor(int pass, PageCursor inner) {

    public EverythingCursor {
        if (pass < 0) {
            throw new IllegalArgumentException("pass must not be negative");
        }
    }

    @Override
    public String toString() {
        return "e" + pass + (inner == null ? "" : "-" + inner);
    }

    /** Empty when the text is not a cursor this class wrote. */
    public static Optional<EverythingCursor> parse(String text) {
        if (text == null || !text.startsWith("e")) {
            return Optional.empty();
        }
        int dash = text.indexOf('-');
        String pass = dash < 0 ? text.substring(1) : text.substring(1, dash);
        if (pass.isEmpty() || !pass.chars().allMatch(Character::isDigit) || pass.length() > 4) {
            return Optional.empty();
        }
        if (dash < 0) {
            return Optional.of(new EverythingCursor(Integer.parseInt(pass), null));
        }
        return PageCursor.parse(text.substring(dash + 1))
                .map(inner -> new EverythingCursor(Integer.parseInt(pass), inner));
    }
}
