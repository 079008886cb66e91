package org.alongside.fhir;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;
import org.alongside.search.DateRange;
import org.alongside.search.Include;
import org.alongside.search.SearchQuery;
import org.alongside.search.SearchRequestParser;
import org.alongside.store.HistoryPage;
import org.alongside.store.HistoryRequest;
import org.alongside.store.RecordAccess;
import org.alongside.store.ResourceStore;
import org.alongside.store.SearchPage;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Resource;

/**
 * Runs searches and history queries and shapes their results as FHIR Bundles, with paging links that carry
 * the whole query (the server keeps no paging state, so any instance behind a load balancer can answer).
 */
public class SearchBundles {

    /** Request attribute telling {@link ResponseShaping} that the Bundle must carry no total. */
    static final String OMIT_TOTAL = "alongside.omitTotal";
    private static final String PAGE_CURSOR = "_cursor";
    private static final Set<String> HISTORY_PARAMS = Set.of("_since", "_count", PAGE_CURSOR, "_sort", "_format",
            "_pretty", "_summary", "_elements");

    private final ResourceStore store;
    private final SearchRequestParser parser;
    private final IncludeResolver includeResolver;
    /** How long a change feed waits before it hands out a version (see HistoryRequest#settledBefore). */
    private final int settleSeconds;
    private final int defaultCount;
    private final int maxCount;
    private final RecordAccess access;

    SearchBundles(ResourceStore store, SearchRequestParser parser, IncludeResolver includeResolver, int defaultCount,
                  int maxCount, int settleSeconds, RecordAccess access) {
        this.settleSeconds = settleSeconds;
        this.access = access;
        this.store = store;
        this.parser = parser;
        this.includeResolver = includeResolver;
        this.defaultCount = defaultCount;
        this.maxCount = maxCount;
    }

    Bundle search(String type, RequestDetails request) {
        Map<String, List<String>> params = parameters(request.getParameters());
        SearchQuery query = parser.parse(type, params, request.getFhirServerBase(), isLenient(request));
        List<Include> includes = parser.parseIncludes(type, params);
        // only what the caller may see is searched, so totals and pages never count anything else
        SearchPage page = access.restrict(query).map(store::search).orElseGet(() -> SearchPage.empty(
                query.total() == SearchQuery.TotalMode.ACCURATE || query.countOnly() ? 0 : null));
        Bundle bundle = newBundle(Bundle.BundleType.SEARCHSET);
        // record by record (consent decisions cannot be made in SQL); a total would then count what is left out
        List<IBaseResource> visible = page.resources().stream().filter(access::canRead).toList();
        if (page.total() != null && visible.size() == page.resources().size()) {
            bundle.setTotal(page.total());
        } else {
            request.setAttribute(OMIT_TOTAL, Boolean.TRUE);
        }
        String base = request.getFhirServerBase();
        for (IBaseResource resource : visible) {
            bundle.addEntry().setFullUrl(fullUrl(base, resource)).setResource((Resource) resource)
                    .getSearch().setMode(Bundle.SearchEntryMode.MATCH);
        }
        for (IBaseResource resource : includeResolver.resolve(visible, includes).stream()
                .filter(access::canRead).toList()) {
            bundle.addEntry().setFullUrl(fullUrl(base, resource)).setResource((Resource) resource)
                    .getSearch().setMode(Bundle.SearchEntryMode.INCLUDE);
        }
        // pages are found by position (keyset), so writes between two pages never shift them
        bundle.addLink().setRelation("self").setUrl(pageLink(request, PAGE_CURSOR,
                query.cursor() == null ? null : query.cursor().toString()));
        if (page.next() != null) {
            bundle.addLink().setRelation("next").setUrl(pageLink(request, PAGE_CURSOR, page.next().toString()));
        }
        if (page.previous() != null) {
            bundle.addLink().setRelation("previous").setUrl(pageLink(request, PAGE_CURSOR, page.previous().toString()));
        }
        return bundle;
    }

    Bundle history(String type, String id, RequestDetails request) {
        access.checkListing(type);
        if (id != null && !access.seesAllOf(type)) {
            access.checkRead(store.read(type, id));
        }
        Map<String, String[]> params = request.getParameters();
        for (String name : params.keySet()) {
            if (!HISTORY_PARAMS.contains(name)) {
                throw new InvalidRequestException("History does not support parameter " + name
                        + "; supported: _since, _count, _sort=_lastUpdated");
            }
        }
        Instant since = single(params, "_since") == null ? null : DateRange.parse(single(params, "_since"))
                .orElseThrow(() -> new InvalidRequestException("_since must be a FHIR instant")).low();
        String countText = single(params, "_count");
        int count = Math.min(countText == null ? defaultCount : SearchRequestParser.nonNegative("_count", countText),
                maxCount);
        String cursorText = single(params, PAGE_CURSOR);
        HistoryPage.Cursor cursor = cursorText == null ? null : HistoryPage.Cursor.parse(cursorText)
                .orElseThrow(() -> new InvalidRequestException("Invalid " + PAGE_CURSOR + " value: " + cursorText));
        if (count == 0) {
            count = 1;
        }
        String sort = single(params, "_sort");
        if (sort != null && !sort.equals("_lastUpdated") && !sort.equals("-_lastUpdated")) {
            throw new InvalidRequestException("History sorts by _lastUpdated (change feed, oldest first) or "
                    + "-_lastUpdated (the default, newest first), not " + sort);
        }
        boolean changeFeed = "_lastUpdated".equals(sort);
        HistoryPage page = store.history(new HistoryRequest(type, id, since, count, cursor, changeFeed,
                changeFeed ? Instant.now().minusSeconds(settleSeconds) : null));
        request.setAttribute(OMIT_TOTAL, Boolean.TRUE);

        Bundle bundle = newBundle(Bundle.BundleType.HISTORY);
        String base = request.getFhirServerBase();
        for (HistoryPage.Entry version : page.entries()) {
            if (version.resource() == null ? !access.seesAllOf(version.type()) : !access.canRead(version.resource())) {
                continue; // not the caller's to see; the cursor still moves past it
            }
            BundleEntryComponent entry = bundle.addEntry();
            String versionless = version.type() + "/" + version.id();
            entry.setFullUrl(base + "/" + versionless);
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
        bundle.addLink().setRelation("self").setUrl(pageLink(request, PAGE_CURSOR, cursorText));
        if (page.nextCursor() != null) {
            bundle.addLink().setRelation("next")
                    .setUrl(pageLink(request, PAGE_CURSOR, page.nextCursor().toString()));
        }
        return bundle;
    }

    /** Parses a conditional URL ({@code Type?params} or {@code params}) as a strict search. */
    SearchQuery parseCondition(String type, String condition, RequestDetails request) {
        return parser.parseCondition(type, condition, request.getFhirServerBase());
    }

    private static Bundle newBundle(Bundle.BundleType type) {
        Bundle bundle = new Bundle().setType(type);
        bundle.setId(UUID.randomUUID().toString());
        return bundle;
    }

    private static Map<String, List<String>> parameters(Map<String, String[]> raw) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        raw.forEach((name, values) -> params.put(name, Arrays.asList(values)));
        return params;
    }

    private static boolean isLenient(RequestDetails request) {
        List<String> prefer = request.getHeaders("Prefer");
        return prefer != null && prefer.stream().anyMatch(p -> p.replace(" ", "").contains("handling=lenient"));
    }

    private static String fullUrl(String base, IBaseResource resource) {
        return base + "/" + resource.getIdElement().toUnqualifiedVersionless().getValue();
    }

    /** The request's own URL with one paging parameter replaced (or removed when value is null). */
    private static String pageLink(RequestDetails request, String pagingParam, String value) {
        StringJoiner query = new StringJoiner("&");
        request.getParameters().forEach((name, values) -> {
            if (!name.equals(pagingParam)) {
                for (String v : values) {
                    query.add(encode(name) + "=" + encode(v));
                }
            }
        });
        if (value != null) {
            query.add(pagingParam + "=" + value);
        }
        String url = request.getFhirServerBase() + "/" + request.getRequestPath();
        return query.length() == 0 ? url : url + "?" + query;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("%2C", ",").replace("%7C", "|")
                .replace("%3A", ":");
    }

    private static String single(Map<String, String[]> params, String name) {
        String[] values = params.get(name);
        return values == null || values.length == 0 ? null : values[0];
    }
}
