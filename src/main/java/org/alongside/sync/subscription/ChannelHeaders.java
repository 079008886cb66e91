package org.alongside.sync.subscription;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code channel.header} strings of a Subscription ("Name: value"), checked before they are stored. */
public final class ChannelHeaders {

    /** One HTTP header to send with every notification. */
    public record Header(String name, String value) {
    }

    /** RFC 9110 field name (a token), a colon, then a value without control characters. */
    private static final Pattern HEADER = Pattern.compile("([!#$%&'*+\\-.^_`|~0-9A-Za-z]+)\\s*:\\s*([^\\x00-\\x08\\x0A-\\x1F\\x7F]*)");

    /** Set by the HTTP client or by Alongside itself; a Subscription must not override them. */
    private static final Set<String> RESERVED = Set.of("connection", "content-length", "content-type", "expect", "host",
            "upgrade", "transfer-encoding", "te", "trailer", "keep-alive", "proxy-connection");

    private ChannelHeaders() {
    }

    /** @throws IllegalArgumentException naming the first header that is malformed or reserved (its value unquoted) */
    public static List<Header> parse(List<String> headers) {
        List<Header> parsed = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            String header = headers.get(i) == null ? "" : headers.get(i);
            Matcher matcher = HEADER.matcher(header);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("channel.header[" + i + "] must read 'Name: value' (a header name, a"
                        + " colon, a value without line breaks)");
            }
            String name = matcher.group(1);
            String lower = name.toLowerCase(Locale.ROOT);
            if (RESERVED.contains(lower) || lower.startsWith("x-alongside-")) {
                throw new IllegalArgumentException("channel.header[" + i + "]: " + name + " is set by the server and"
                        + " cannot be configured");
            }
            parsed.add(new Header(name, matcher.group(2).trim()));
        }
        return List.copyOf(parsed);
    }
}
