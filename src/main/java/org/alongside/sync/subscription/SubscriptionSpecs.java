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

    /** Subscriptions Backport IG (STU 1.1): the R4 profile and the extensions it reads. */
    public static final String BACKPORT = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/";
    public static final String BACKPORT_PROFILE = BACKPORT + "backport-subscription";
    public static final String FILTER_CRITERIA = BACKPORT + "backport-filter-criteria";
    public static final String PAYLOAD_CONTENT = BACKPORT + "backport-payload-content";
    public static final String HEARTBEAT_PERIOD = BACKPORT + "backport-heartbeat-period";
    /** Longest heartbeat period accepted: a day. */
    static final int MAX_HEARTBEAT_SECONDS = 86_400;

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
        boolean claimsBackport = subscription.getMeta().getProfile().stream()
                .anyMatch(p -> BACKPORT_PROFILE.equals(p.getValue()));
        TopicSubscription topic = null;
        SearchQuery criteria = null;
        if (claimsBackport || isCanonical(subscription.getCriteria())) {
            topic = topic(subscription);
        } else {
            criteria = criteria(subscription.getCriteria());
        }
        URI endpoint = endpoint(channel.getEndpoint());
        String payload = payload(channel.getPayload());
        if (topic != null && payload == null) {
            payload = topic.content() == TopicSubscription.Content.EMPTY ? "application/fhir+json" : null;
            if (payload == null) {
                throw refuse("Subscription.channel.payload is required for " + topic.content().code()
                        + " notifications: application/fhir+json or application/fhir+xml");
            }
        }
        List<ChannelHeaders.Header> headers;
        try {
            headers = ChannelHeaders.parse(channel.getHeader().stream().map(StringType::getValue).toList());
        } catch (IllegalArgumentException e) {
            throw refuse("Subscription." + e.getMessage());
        }
        return new SubscriptionSpec(subscription.getIdElement().getIdPart(), subscription.getStatus(), criteria,
                endpoint, payload, headers, subscription.hasEnd() ? subscription.getEnd().toInstant() : null, topic);
    }

    private static boolean isCanonical(String criteria) {
        return criteria != null && (criteria.startsWith("http://") || criteria.startsWith("https://"));
    }

    /**
     * A backport Subscription: {@code criteria} is a topic's canonical URL, {@code backport-filter-criteria} on it
     * narrows the events ({@code patient} only, the filter every topic declares), the payload's
     * {@code backport-payload-content} says how much a notification carries, {@code backport-heartbeat-period}
     * on the channel asks for heartbeats.
     */
    TopicSubscription topic(Subscription subscription) {
        String url = subscription.getCriteria();
        Topic topic = MentorshipTopics.byUrl(url).orElseThrow(() -> refuse("Subscription.criteria: "
                + (url == null || url.isBlank() ? "a topic's canonical URL is required" : "unknown topic " + url)
                + "; this server offers " + String.join(", ", MentorshipTopics.ALL.stream().map(Topic::url).toList())));
        SearchQuery filter = filter(topic, subscription.getCriteriaElement().getExtension().stream()
                .filter(e -> FILTER_CRITERIA.equals(e.getUrl())).toList());
        Subscription.SubscriptionChannelComponent channel = subscription.getChannel();
        TopicSubscription.Content content = TopicSubscription.Content.ID_ONLY;
        var contentExtension = channel.getPayloadElement().getExtensionByUrl(PAYLOAD_CONTENT);
        if (contentExtension != null) {
            String code = contentExtension.getValue() == null ? null : contentExtension.getValue().primitiveValue();
            content = TopicSubscription.Content.fromCode(code).orElseThrow(() -> refuse(
                    "Subscription.channel.payload backport-payload-content must be empty, id-only or full-resource"));
        }
        Integer heartbeat = null;
        var heartbeatExtension = channel.getExtensionByUrl(HEARTBEAT_PERIOD);
        if (heartbeatExtension != null) {
            String value = heartbeatExtension.getValue() == null ? null
                    : heartbeatExtension.getValue().primitiveValue();
            try {
                heartbeat = value == null ? null : Integer.valueOf(value);
            } catch (NumberFormatException e) {
                heartbeat = null;
            }
            if (heartbeat == null || heartbeat < 1 || heartbeat > MAX_HEARTBEAT_SECONDS) {
                throw refuse("Subscription.channel backport-heartbeat-period must be a whole number of seconds from 1"
                        + " to " + MAX_HEARTBEAT_SECONDS);
            }
        }
        return new TopicSubscription(topic, content, filter, heartbeat);
    }

    /**
     * The filters as one search on the topic's resource type: each reads {@code [Type?]patient=Patient/[id]} (several
     * ids comma-separated); every filter must hold. Null when there is none.
     */
    SearchQuery filter(Topic topic, List<org.hl7.fhir.r4.model.Extension> filters) {
        if (filters.isEmpty()) {
            return null;
        }
        List<String> patients = new java.util.ArrayList<>();
        for (org.hl7.fhir.r4.model.Extension extension : filters) {
            String value = extension.getValue() == null ? null : extension.getValue().primitiveValue();
            if (value == null || value.isBlank()) {
                throw refuse("Subscription.criteria backport-filter-criteria needs a value such as "
                        + topic.resourceType() + "?patient=Patient/123");
            }
            int question = value.indexOf('?');
            if (question >= 0 && !value.substring(0, question).equals(topic.resourceType())) {
                throw refuse("Subscription.criteria backport-filter-criteria: topic " + topic.id() + " is about "
                        + topic.resourceType() + ", not " + value.substring(0, question));
            }
            Map<String, List<String>> params = SearchRequestParser.queryParameters(value.substring(question + 1));
            for (Map.Entry<String, List<String>> param : params.entrySet()) {
                if (!param.getKey().equals("patient")) {
                    throw refuse("Subscription.criteria backport-filter-criteria: " + param.getKey() + " is not a"
                            + " filter of topic " + topic.id() + "; it can be filtered by patient");
                }
                for (String ids : param.getValue()) {
                    List<String> any = new java.util.ArrayList<>();
                    for (String id : ids.split(",")) {
                        String patient = id.trim().startsWith("Patient/") ? id.trim().substring(8) : id.trim();
                        if (!patient.matches("[A-Za-z0-9\\-.]{1,64}")) {
                            throw refuse("Subscription.criteria backport-filter-criteria: patient must be"
                                    + " Patient/[id]");
                        }
                        any.add("Patient/" + patient);
                    }
                    patients.add(String.join(",", any));
                }
            }
        }
        try {
            return parser.parse(topic.resourceType(), Map.of(topic.patientSearch(), patients), null, false);
        } catch (BaseServerResponseException e) {
            throw refuse("Subscription.criteria backport-filter-criteria: " + e.getMessage());
        }
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
