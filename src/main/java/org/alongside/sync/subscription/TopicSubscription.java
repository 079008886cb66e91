package org.alongside.sync.subscription;

import java.util.Locale;
import java.util.Optional;
import org.alongside.search.SearchQuery;

/**
 * What a backport (topic-based) Subscription adds to a rest-hook one.
 *
 * @param filter           the search the focus must also match (from {@code backport-filter-criteria}), or null
 * @param heartbeatSeconds the heartbeat period, or null for none
 */
public record TopicSubscription(Topic topic, Content content, SearchQuery filter, Integer heartbeatSeconds) {

    /** How much a notification carries ({@code backport-payload-content}). */
    public enum Content {
        EMPTY("empty"), ID_ONLY("id-only"), FULL_RESOURCE("full-resource");

        private final String code;

        Content(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        public static Optional<Content> fromCode(String code) {
            if (code == null) {
                return Optional.empty();
            }
            String lower = code.trim().toLowerCase(Locale.ROOT);
            for (Content content : values()) {
                if (content.code.equals(lower)) {
                    return Optional.of(content);
                }
            }
            return Optional.empty();
        }
    }
}
