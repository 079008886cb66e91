package org.alongside.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Alongside's settings, read through MicroProfile Config: each can be set as a system property, an
 * environment variable (upper case, dots as underscores: ALONGSIDE_SEARCH_MAX_COUNT) or in server.xml.
 */
@ApplicationScoped
public class AlongsideConfig {

    @Inject
    @ConfigProperty(name = "alongside.fhir.resource-types", defaultValue = "Patient,Practitioner,PractitionerRole,"
            + "Organization,CareTeam,CarePlan,Goal,ServiceRequest,Task,Encounter,Procedure,Communication,Consent,"
            + "Provenance,Flag,Subscription,QuestionnaireResponse,Observation")
    List<String> resourceTypes;

    @Inject
    @ConfigProperty(name = "alongside.search.default-count", defaultValue = "20")
    int defaultCount;

    @Inject
    @ConfigProperty(name = "alongside.search.max-count", defaultValue = "1000")
    int maxCount;

    @Inject
    @ConfigProperty(name = "alongside.request.max-body-bytes", defaultValue = "5242880")
    int maxBodyBytes;

    @Inject
    @ConfigProperty(name = "alongside.request.max-nesting-depth", defaultValue = "100")
    int maxNestingDepth;

    /**
     * Longest request URL (path and query) the application serves; longer ones get 414. Liberty's own limit
     * (httpOptions limitFieldSize in server.xml) must be larger, or it refuses them first with an empty 400.
     */
    @Inject
    @ConfigProperty(name = "alongside.request.max-url-length", defaultValue = "32768")
    int maxUrlLength;

    /** Most entries a transaction or batch Bundle may carry. */
    @Inject
    @ConfigProperty(name = "alongside.bundle.max-entries", defaultValue = "1000")
    int maxBundleEntries;

    /** Most active mentees one peer specialist may have at once. */
    @Inject
    @ConfigProperty(name = "alongside.mentorship.caseload-limit", defaultValue = "15")
    int caseloadLimit;

    /**
     * Days without a peer contact after which an active mentee's care team gets an engagement alert, where the peer's
     * Organization does not set its own (extension engagement-alert-days).
     */
    @Inject
    @ConfigProperty(name = "alongside.engagement.days", defaultValue = "14")
    int engagementDays;

    /** Seconds between runs of the engagement alert job (mentorship.EngagementAlertJob); 0 turns it off. */
    @Inject
    @ConfigProperty(name = "alongside.engagement.interval-seconds", defaultValue = "900")
    int engagementIntervalSeconds;

    /** Minutes in one H0038 billing unit. */
    @Inject
    @ConfigProperty(name = "alongside.billing.unit-minutes", defaultValue = "15")
    int billingUnitMinutes;

    /** Minutes a started unit needs to count (the CMS "midpoint" rule: 8 of 15). */
    @Inject
    @ConfigProperty(name = "alongside.billing.minimum-minutes", defaultValue = "8")
    int billingMinimumMinutes;

    /**
     * Schema Flyway creates and migrates, when not the connection's default. The JDBC URL must select the same
     * schema for Hibernate (PostgreSQL: {@code ?currentSchema=name}).
     */
    @Inject
    @ConfigProperty(name = "alongside.db.schema")
    Optional<String> databaseSchema;

    /**
     * Seconds between checks for PostgreSQL tables whose planner statistics went stale (persistence.StatisticsKeeper);
     * 0 turns the checks off.
     */
    @Inject
    @ConfigProperty(name = "alongside.db.analyze-interval-seconds", defaultValue = "15")
    int analyzeIntervalSeconds;

    /** Drops and recreates the schema at start. For test servers only; never set it in production. */
    @Inject
    @ConfigProperty(name = "alongside.db.cleanOnStart", defaultValue = "false")
    boolean cleanDatabaseOnStart;

    /**
     * Directory of Bulk Data export files. server.xml passes {@code ${server.output.dir}/export}; several instances
     * must share one directory (a network file system), or a file written on one cannot be downloaded from another.
     */
    @Inject
    @ConfigProperty(name = "alongside.export.dir")
    Optional<String> exportDirectory;

    /** How long a finished export job and its files are kept (ISO-8601 duration, e.g. PT1H). */
    @Inject
    @ConfigProperty(name = "alongside.export.retention", defaultValue = "PT1H")
    Duration exportRetention;

    /** Export jobs one instance runs at once; more wait in the queue (or run on another instance). */
    @Inject
    @ConfigProperty(name = "alongside.export.max-concurrent-jobs", defaultValue = "2")
    int exportMaxConcurrentJobs;

    /** Resources per NDJSON file; a type with more is split into several files. */
    @Inject
    @ConfigProperty(name = "alongside.export.max-resources-per-file", defaultValue = "100000")
    long exportMaxResourcesPerFile;

    /** Resources an export reads per database round trip. */
    @Inject
    @ConfigProperty(name = "alongside.export.page-size", defaultValue = "500")
    int exportPageSize;

    /** A running job whose instance has not sent a heartbeat for this long is taken over by another. */
    @Inject
    @ConfigProperty(name = "alongside.export.stale-after", defaultValue = "PT2M")
    Duration exportStaleAfter;
    // ---------------------------------------------------------------- rest-hook Subscriptions (docs/operations.md)

    /** Whether this instance runs the delivery worker; the outbox is filled by every instance regardless. */
    @Inject
    @ConfigProperty(name = "alongside.subscription.delivery-enabled", defaultValue = "true")
    boolean subscriptionDeliveryEnabled;

    /** Pause between two polls of the outbox for due deliveries. */
    @Inject
    @ConfigProperty(name = "alongside.subscription.poll-interval-ms", defaultValue = "1000")
    long subscriptionPollIntervalMs;

    /** Subscriptions one poll claims at most. */
    @Inject
    @ConfigProperty(name = "alongside.subscription.claim-size", defaultValue = "10")
    int subscriptionClaimSize;

    /** Events of one Subscription delivered per claim before the claim is released (and others get a turn). */
    @Inject
    @ConfigProperty(name = "alongside.subscription.batch-size", defaultValue = "50")
    int subscriptionBatchSize;

    /** First retry delay after a failed delivery; doubles with each further failure. */
    @Inject
    @ConfigProperty(name = "alongside.subscription.backoff-base-ms", defaultValue = "1000")
    long subscriptionBackoffBaseMs;

    /** Longest retry delay. */
    @Inject
    @ConfigProperty(name = "alongside.subscription.backoff-max-ms", defaultValue = "300000")
    long subscriptionBackoffMaxMs;

    @Inject
    @ConfigProperty(name = "alongside.subscription.connect-timeout-ms", defaultValue = "5000")
    long subscriptionConnectTimeoutMs;

    /** Time the endpoint has to answer one notification. */
    @Inject
    @ConfigProperty(name = "alongside.subscription.request-timeout-ms", defaultValue = "10000")
    long subscriptionRequestTimeoutMs;

    /** How long a claim on a Subscription's events lasts; an instance that dies holding one loses it after this. */
    @Inject
    @ConfigProperty(name = "alongside.subscription.lease-seconds", defaultValue = "60")
    int subscriptionLeaseSeconds;

    /** Hosts a channel.endpoint may name (exact, case-insensitive); empty allows every host. */
    @Inject
    @ConfigProperty(name = "alongside.subscription.allowed-hosts")
    Optional<List<String>> subscriptionAllowedHosts;

    /**
     * The FHIR base URL the fullUrls of topic notifications name (what clients reach this server at, e.g. behind a
     * proxy); when not set, http://localhost:[http.port]/fhir.
     */
    @Inject
    @ConfigProperty(name = "alongside.subscription.fhir-base-url")
    Optional<String> subscriptionFhirBaseUrl;

    /** The server's HTTP port (server.xml passes its http.port variable), for the default of the base URL above. */
    @Inject
    @ConfigProperty(name = "alongside.subscription.http-port", defaultValue = "9080")
    String httpPort;

    /** How long a topic Subscription's delivered events stay available to $events. */
    @Inject
    @ConfigProperty(name = "alongside.subscription.event-retention", defaultValue = "P7D")
    Duration subscriptionEventRetention;

    /** Name of this instance in leases and the X-Alongside-Instance header; a random one when not set. */
    @Inject
    @ConfigProperty(name = "alongside.subscription.instance-id")
    Optional<String> subscriptionInstanceId;

    public boolean subscriptionDeliveryEnabled() {
        return subscriptionDeliveryEnabled;
    }

    public long subscriptionPollIntervalMs() {
        return subscriptionPollIntervalMs;
    }

    public int subscriptionClaimSize() {
        return subscriptionClaimSize;
    }

    public int subscriptionBatchSize() {
        return subscriptionBatchSize;
    }

    public long subscriptionBackoffBaseMs() {
        return subscriptionBackoffBaseMs;
    }

    public long subscriptionBackoffMaxMs() {
        return subscriptionBackoffMaxMs;
    }

    public long subscriptionConnectTimeoutMs() {
        return subscriptionConnectTimeoutMs;
    }

    public long subscriptionRequestTimeoutMs() {
        return subscriptionRequestTimeoutMs;
    }

    public int subscriptionLeaseSeconds() {
        return subscriptionLeaseSeconds;
    }

    public List<String> subscriptionAllowedHosts() {
        return subscriptionAllowedHosts.orElse(List.of()).stream().map(String::trim).filter(h -> !h.isEmpty()).toList();
    }

    public String subscriptionFhirBaseUrl() {
        return subscriptionFhirBaseUrl.filter(url -> !url.isBlank()).map(url -> url.replaceAll("/+$", ""))
                .orElse("http://localhost:" + httpPort + "/fhir");
    }

    public Duration subscriptionEventRetention() {
        return subscriptionEventRetention;
    }

    public Optional<String> subscriptionInstanceId() {
        return subscriptionInstanceId.filter(id -> !id.isBlank());
    }

    public List<String> resourceTypes() {
        return resourceTypes;
    }

    public int defaultCount() {
        return defaultCount;
    }

    public int maxCount() {
        return maxCount;
    }

    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    public int maxUrlLength() {
        return maxUrlLength;
    }

    public int maxNestingDepth() {
        return maxNestingDepth;
    }

    public int maxBundleEntries() {
        return maxBundleEntries;
    }

    public int caseloadLimit() {
        return caseloadLimit;
    }

    public int engagementDays() {
        return engagementDays;
    }

    public int engagementIntervalSeconds() {
        return engagementIntervalSeconds;
    }

    public int billingUnitMinutes() {
        return billingUnitMinutes;
    }

    public int billingMinimumMinutes() {
        return billingMinimumMinutes;
    }

    public int analyzeIntervalSeconds() {
        return analyzeIntervalSeconds;
    }

    public Optional<String> databaseSchema() {
        return databaseSchema.filter(schema -> !schema.isBlank());
    }

    public Path exportDirectory() {
        return Path.of(exportDirectory.filter(dir -> !dir.isBlank())
                .orElse(System.getProperty("java.io.tmpdir") + "/alongside-export"));
    }

    public Duration exportRetention() {
        return exportRetention;
    }

    public int exportMaxConcurrentJobs() {
        return exportMaxConcurrentJobs;
    }

    public long exportMaxResourcesPerFile() {
        return exportMaxResourcesPerFile;
    }

    public int exportPageSize() {
        return exportPageSize;
    }

    public Duration exportStaleAfter() {
        return exportStaleAfter;
    }

    public boolean cleanDatabaseOnStart() {
        return cleanDatabaseOnStart;
    }
}
