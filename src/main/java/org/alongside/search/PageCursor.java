package org.alongside.search;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Where a page of search results starts: the sort values and storage key of the row next to it, and the
 * direction. A page read {@linkplain #backward() backward} holds the rows just before that row (a
 * {@code previous} link), otherwise the rows just after it. Because the position is a row, not a row number,
 * records written or deleted between two pages never shift the next page: keyset paging.
 *
 * <p>The text form is URL-safe and opaque to clients: {@code f} or {@code b}, the key, then one dot-separated
 * token per sort value ({@code n} for none, {@code s} + base64url text, {@code t} + epoch seconds {@code ,}
 * nanoseconds). A bare number is also read, as a forward cursor of an unsorted search.
 *
 * @param values one value per sort key, in sort order: a {@link String}, an {@link Instant}, or null
 */
public record PageCursor(boolean backward, List<Object> values, long key) {

    public PageCursor {
        for (Object value : values) {
            if (value != null && !(value instanceof String) && !(value instanceof Instant)) {
                throw new IllegalArgumentException("A sort value is text or an instant, not " + value.getClass());
            }
        }
        values = Collections.unmodifiableList(new ArrayList<>(values));
    }

    /** The page after the row with these sort values and key. */
    public static PageCursor after(List<Object> values, long key) {
        return new PageCursor(false, values, key);
    }

    /** The page before the row with these sort values and key. */
    public static PageCursor before(List<Object> values, long key) {
        return new PageCursor(true, values, key);
    }

    /** The same row, seen from the other side. */
    public PageCursor reversed() {
        return new PageCursor(!backward, values, key);
    }

    /** Whether this cursor was written for a search sorted by these keys. */
    public boolean fits(List<SearchQuery.SortKey> sort) {
        if (values.size() != sort.size()) {
            return false;
        }
        for (int i = 0; i < sort.size(); i++) {
            Object value = values.get(i);
            boolean instantKey = sort.get(i).type() == SearchParamType.DATE;
            if (value != null && (value instanceof Instant) != instantKey) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(backward ? "b" : "f").append(key);
        for (Object value : values) {
            text.append('.');
            if (value == null) {
                text.append('n');
            } else if (value instanceof Instant instant) {
                text.append('t').append(instant.getEpochSecond()).append(',').append(instant.getNano());
            } else {
                text.append('s').append(Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(((String) value).getBytes(StandardCharsets.UTF_8)));
            }
        }
        return text.toString();
    }

    /** Empty when the text is not a cursor this server wrote. */
    public static Optional<PageCursor> parse(String text) {
        try {
            if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
                return Optional.of(after(List.of(), Long.parseLong(text)));
            }
            String[] parts = text.split("\\.", -1);
            char direction = parts[0].isEmpty() ? '?' : parts[0].charAt(0);
            if (direction != 'f' && direction != 'b') {
                return Optional.empty();
            }
            long key = Long.parseLong(parts[0].substring(1));
            List<Object> values = new ArrayList<>();
            for (int i = 1; i < parts.length; i++) {
                values.add(value(parts[i]));
            }
            return Optional.of(new PageCursor(direction == 'b', values, key));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    private static Object value(String token) {
        if (token.equals("n")) {
            return null;
        }
        if (token.startsWith("s")) {
            return new String(Base64.getUrlDecoder().decode(token.substring(1)), StandardCharsets.UTF_8);
        }
        if (token.startsWith("t")) {
            String[] parts = token.substring(1).split(",", -1);
            if (parts.length == 2) {
                return Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
            }
        }
        throw new IllegalArgumentException("not a sort value: " + token);
    }
}
