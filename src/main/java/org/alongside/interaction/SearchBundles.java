package org.alongside.interaction;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;
import org.alongside.config.AlongsideConfig;
import org.alongside.search.DateRange;
import org.alongside.search.Include;
import org.alongside.search.SearchQuery;
import org.alongside.search.SearchRequestParser;
import org.alongside.store.HistoryPage;
import org.alongside.store.HistoryRequest;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Resource;

/**
 * Search and history as FHIR Bundles, for REST and for Bundle entries alike: the query is parsed, run through the
 * {@link InteractionPipeline} (so only what the caller may see is found, counted and included), and shaped with
 * paging links that carry the whole query (the server keeps no paging state, so any instance can answer).
 */
@ApplicationScoped
public class SearchBundles {

    private static final String PAGE_CURSOR = "_cursor";
    private static final Set<String> HISTORY_PARAMS = Set.of("_since", "_count", PAGE_CURSOR, "_sort", "_format",
            "_pretty", "_summary", "_elements");

    @Inject
    InteractionPipeline pipeline;

    @Inject
    SearchRequestParser parser;

    @Inject
    AlongsideConfig config;

    /**
     * A GET as the client sent it.
     *
     * @param type    resource type; null for the whole system (history only)
     * @param params  query parameters
     * @param base    this server's FHIR base URL
     * @param path    the request path below the base, for self and paging links
     * @param lenient the client asked {@code Prefer: handling=lenient} (unknown search parameters ignored)
     */
    public record Request(String type, Map<String, List<String>> params, String base, String path, boolean lenient) {
    }

    /** A searchset; it has no total when none was asked for or the total would count what the caller cannot see. */
    public Bundle search(Request request) {
        SearchQuery query = parser.parse(request.type(), request.params(), request.base(), request.lenient());
        List<Include> includes = parser.parseIncludes(request.type(), request.params());
        Searched found = pipeline.search(query, includes);
        Bundle bundle = newBundle(Bundle.BundleType.SEARCHSET);
        if (found.total() != null) {
            bundle.setTotal(found.total());
        }
        for (IBaseResource resource : found.matches()) {
            bundle.addEntry().setFullUrl(fullUrl(request.base(), resource)).setResource((Resource) resource)
                    .getSearch().setMode(Bundle.SearchEntryMode.MATCH);
        }
        for (IBaseResource resource : found.included()) {
            bundle.addEntry().setFullUrl(fullUrl(request.base(), resource)).setResource((Resource) resource)
                    .getSearch().setMode(Bundle.SearchEntryMode.INCLUDE);
        }
        // pages are found by position (keyset), so writes between two pages never shift them
        bundle.addLink().setRelation("self").setUrl(pageLink(request, query.cursor() == null ? null
                : query.cursor().toString()));
        if (found.next() != null) {
            bundle.addLink().setRelation("next").setUrl(pageLink(request, found.next().toString()));
        }
        if (found.previous() != null) {
            bundle.addLink().setRelation("previous").setUrl(pageLink(request, found.previous().toString()));
        }
        return bundle;
    }

    /** Instance ({@code id} given), type or system ({@code type} null) history, newest first or as a change feed. */
    public Bundle history(Request request, String id) {
        Map<String, List<String>> params = request.params();
        for (String name : params.keySet()) {
            if (!HISTORY_PARAMS.contains(name)) {
                throw new InvalidRequestException("History does not support parameter " + name
                        + "; supported: _since, _count, _sort=_lastUpdated");
            }
        }
        Instant since = single(params, "_since") == null ? null : DateRange.parse(single(params, "_since"))
                .orElseThrow(() -> new InvalidRequestException("_since must be a FHIR instant")).low();
        String countText = single(params, "_count");
        int count = Math.min(countText == null ? config.defaultCount()
                : SearchRequestParser.nonNegative("_count", countText), config.maxCount());
        String cursorText = single(params, PAGE_CURSOR);
        HistoryPage.Cursor cursor = cursorText == null ? null : HistoryPage.Cursor.parse(cursorText)
                .orElseThrow(() -> new InvalidRequestException("Invalid " + PAGE_CURSOR + " value: " + cursorText));
        String sort = single(params, "_sort");
        if (sort != null && !sort.equals("_lastUpdated") && !sort.equals("-_lastUpdated")) {
            throw new InvalidRequestException("History sorts by _lastUpdated (change feed, oldest first) or "
                    + "-_lastUpdated (the default, newest first), not " + sort);
        }
        boolean changeFeed = "_lastUpdated".equals(sort);
        HistoryPage page = pipeline.history(new HistoryRequest(request.type(), id, since, Math.max(count, 1), cursor,
                changeFeed));

        Bundle bundle = newBundle(Bundle.BundleType.HISTORY);
        for (HistoryPage.Entry version : page.entries()) {
            BundleEntryComponent entry = bundle.addEntry();
            String versionless = version.type() + "/" + version.id();
            entry.setFullUrl(request.base() + "/" + versionless);
            if (version.resource() != null) {
                entry.setResource((Resource) version.resource());
            }
            HTTPVerb verb = HTTPVerb.fromCode(version.method());
            entry.getRequest().setMethod(verb).setUrl(verb == HTTPVerb.POST ? version.type() : versionless);
            entry.getResponse()
                    .setStatus(verb == HTTPVerb.DELETE ? "204 No Content" : version.version() == 1 ? "201 Created" : "200 OK")
                    .setEtag("W/\"" + version.version() + "\"")
                    .setLastModified(java.util.Date.from(version.lastUpdated()));
        }
        bundle.addLink().setRelation("self").setUrl(pageLink(request, cursorText));
        if (page.nextCursor() != null) {
            bundle.addLink().setRelation("next").setUrl(pageLink(request, page.nextCursor().toString()));
        }
        return bundle;
    }

    private static Bundle newBundle(Bundle.BundleType type) {
        Bundle bundle = new Bundle().setType(type);
        bundle.setId(UUID.randomUUID().toString());
        return bundle;
    }

    static String fullUrl(String base, IBaseResource resource) {
        return base + "/" + resource.getIdElement().toUnqualifiedVersionless().getValue();
    }

    /** The request's own URL with the paging cursor replaced (or removed when null). */
    static String pageLink(Request request, String cursor) {
        StringJoiner query = new StringJoiner("&");
        request.params().forEach((name, values) -> {
            if (!name.equals(PAGE_CURSOR)) {
                for (String v : values) {
                    query.add(encode(name) + "=" + encode(v));
                }
            }
        });
        if (cursor != null) {
            query.add(PAGE_CURSOR + "=" + cursor);
        }
        String url = request.base() + "/" + request.path();
        return query.length() == 0 ? url : url + "?" + query;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("%2C", ",").replace("%7C", "|")
                .replace("%3A", ":");
    }

    static String single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
