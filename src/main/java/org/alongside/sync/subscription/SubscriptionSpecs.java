package org.alongside.sync.subscription;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.alongside.outbound.OutboundRule;
import org.alongside.search.SearchQuery;
import org.alongside.search.SearchRequestParser;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Subscription.SubscriptionChannelType;

/**
 * Reads and validates a Subscription: rest-hook only, an absolute http(s) endpoint on an allowed host, criteria that
 * parse as a strict search ({@code Type?params}) of a supported type, a FHIR payload type or none, well-formed
 * headers. Every refusal is a 422 whose message names the element and the problem, never a header's value.
 * {@link #parseReachable} also applies the outbound rule to the endpoint (it resolves the host): when a Subscription
 * is written and before each delivery, never while matching changes inside a write.
 */
public final class SubscriptionSpecs {

    public static final String SUBSCRIPTION = "Subscription";

    private static final Map<String, String> PAYLOADS = Map.of(
            "application/fhir+json", "application/fhir+json", "application/json", "application/fhir+json",
            "application/json+fhir", "application/fhir+json", "application/fhir+xml", "application/fhir+xml",
            "application/xml", "application/fhir+xml", "application/xml+fhir", "application/fhir+xml");

    /** Parameters that shape a search's answer: meaningless for matching one resource, so refused. */
    private static final Set<String> NOT_CRITERIA = Set.of("_sort", "_count", "_offset", "_cursor", "_total",
            "_summary", "_elements", "_format", "_pretty", "_include", "_revinclude", "_include:iterate",
            "_revinclude:iterate", "_contained", "_containedType");

    private final SearchRequestParser parser;
    private final Set<String> allowedHosts;
    private final OutboundRule endpointRule;

    /**
     * @param allowedHosts hosts an endpoint may name (case-insensitive); empty allows every host the outbound rule
     *                     allows. Listed hosts are trusted wherever they resolve.
     * @param outbound the server's outbound rule
     */
    public SubscriptionSpecs(SearchRequestParser parser, List<String> allowedHosts, OutboundRule outbound) {
        this.parser = parser;
        this.allowedHosts = Set.copyOf(allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
        this.endpointRule = outbound.alsoListing(allowedHosts);
    }

    /**
     * {@link #parse}, and the endpoint's host must pass the outbound rule now (it is resolved).
     *
     * @throws UnprocessableEntityException naming what is wrong
     */
    public SubscriptionSpec parseReachable(Subscription subscription) {
        SubscriptionSpec spec = parse(subscription);
        endpointRule.refusal(spec.endpoint()).ifPresent(problem -> {
            throw refuse("Subscription.channel.endpoint: " + problem
                    + " (or in alongside.subscription.allowed-hosts)");
        });
        return spec;
    }

    /** @throws UnprocessableEntityException naming what is wrong */
    public SubscriptionSpec parse(Subscription subscription) {
        if (!subscription.hasStatus()) {
            throw refuse("Subscription.status is required (requested, active, error or off)");
        }
        if (!subscription.hasReason()) {
            throw refuse("Subscription.reason is required");
        }
        if (!subscription.hasChannel() || !subscription.getChannel().hasType()) {
            throw refuse("Subscription.channel.type is required; this server supports rest-hook");
        }
        Subscription.SubscriptionChannelComponent channel = subscription.getChannel();
        if (channel.getType() != SubscriptionChannelType.RESTHOOK) {
            throw refuse("Subscription.channel.type " + channel.getType().toCode()
                    + " is not supported; this server supports rest-hook only");
        }
        SearchQuery criteria = criteria(subscription.getCriteria());
        URI endpoint = endpoint(channel.getEndpoint());
        String payload = payload(channel.getPayload());
        List<ChannelHeaders.Header> headers;
        try {
            headers = ChannelHeaders.parse(channel.getHeader().stream().map(StringType::getValue).toList());
        } catch (IllegalArgumentException e) {
            throw refuse("Subscription." + e.getMessage());
        }
        return new SubscriptionSpec(subscription.getIdElement().getIdPart(), subscription.getStatus(), criteria,
                endpoint, payload, headers, subscription.hasEnd() ? subscription.getEnd().toInstant() : null);
    }

    /** {@code Type?params} (or just {@code Type}: every change of that type) as a strict search. */
    SearchQuery criteria(String criteria) {
        if (criteria == null || criteria.isBlank()) {
            throw refuse("Subscription.criteria is required, as Type?search-parameters (e.g. Communication?category=x)");
        }
        int question = criteria.indexOf('?');
        String type = question < 0 ? criteria : criteria.substring(0, question);
        if (!type.matches("[A-Z][A-Za-z]+")) {
            throw refuse("Subscription.criteria must start with a resource type, as Type?search-parameters; got '"
                    + type + "'");
        }
        if (type.equals(SUBSCRIPTION)) {
            throw refuse("Subscription.criteria cannot watch Subscription resources");
        }
        if (!parser.supportsType(type)) {
            throw refuse("Subscription.criteria: resource type " + type + " is not supported by this server");
        }
        Map<String, List<String>> params = SearchRequestParser.queryParameters(
                question < 0 ? "" : criteria.substring(question + 1));
        for (String name : params.keySet()) {
            if (NOT_CRITERIA.contains(name)) {
                throw refuse("Subscription.criteria: " + name + " shapes search results and cannot be a criterion");
            }
        }
        try {
            return parser.parse(type, params, null, false);
        } catch (BaseServerResponseException e) {
            throw refuse("Subscription.criteria: " + e.getMessage());
        }
    }

    URI endpoint(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            throw refuse("Subscription.channel.endpoint is required for rest-hook");
        }
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            throw refuse("Subscription.channel.endpoint is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw refuse("Subscription.channel.endpoint must be an absolute http or https URL");
        }
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw refuse("Subscription.channel.endpoint must not carry user information or a fragment;"
                    + " send credentials in channel.header");
        }
        if (!hostAllowed(uri.getHost())) {
            throw refuse("Subscription.channel.endpoint: host " + uri.getHost() + " is not in this server's list"
                    + " of allowed endpoint hosts (alongside.subscription.allowed-hosts)");
        }
        return uri;
    }

    public boolean hostAllowed(String host) {
        return allowedHosts.isEmpty() || allowedHosts.contains(host.toLowerCase(Locale.ROOT));
    }

    static String payload(String payload) {
        if (payload == null || payload.isBlank()) {
            return null;
        }
        String mime = payload.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        String normalised = PAYLOADS.get(mime);
        if (normalised == null) {
            throw refuse("Subscription.channel.payload " + payload + " is not supported; use application/fhir+json,"
                    + " application/fhir+xml, or leave it out for notifications without a body");
        }
        return normalised;
    }

    private static UnprocessableEntityException refuse(String message) {
        return new UnprocessableEntityException(message);
    }
}
