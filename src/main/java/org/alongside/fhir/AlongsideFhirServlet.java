package org.alongside.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.alongside.conformance.ConformanceResources;
import org.alongside.conformance.ProfileValidator;
import org.alongside.conformance.Terminology;
import org.alongside.config.AlongsideConfig;
import org.alongside.mentorship.AssignmentService;
import org.alongside.mentorship.SessionService;
import org.alongside.mentorship.EscalationService;
import org.alongside.mentorship.RecoveryCapitalService;
import org.alongside.mentorship.MatchingService;
import org.alongside.mentorship.SideBySideService;
import org.alongside.search.SearchParamRegistry;
import org.alongside.search.SearchRequestParser;
import org.alongside.audit.AuditInterceptor;
import org.alongside.audit.AuditStore;
import org.alongside.security.OperationAccess;
import org.alongside.interaction.InteractionPipeline;
import org.alongside.interaction.PatientEverything;
import org.alongside.interaction.SearchBundles;
import org.alongside.sync.BundleProcessor;
import org.alongside.sync.export.BulkExportService;
import org.hl7.fhir.r4.model.MetadataResource;

/** The FHIR R4 endpoint at /fhir (mapped in web.xml): HAPI's RestfulServer, its providers thin adapters over the interaction pipeline. */
public class AlongsideFhirServlet extends RestfulServer {

    private static final long serialVersionUID = 1L;

    @Inject
    transient FhirContext fhirContext;

    @Inject
    transient AlongsideConfig config;

    @Inject
    transient SearchParamRegistry registry;

    @Inject
    transient SearchRequestParser searchParser;

    @Inject
    transient InteractionPipeline pipeline;

    @Inject
    transient SearchBundles searchBundles;

    @Inject
    transient PatientEverything patientEverything;

    @Inject
    transient org.alongside.sync.subscription.SubscriptionQueries subscriptionQueries;

    @Inject
    transient ConformanceResources conformance;

    @Inject
    transient ProfileValidator validator;

    @Inject
    transient Terminology terminology;

    @Inject
    transient AssignmentService assignmentService;

    @Inject
    transient SessionService sessionService;

    @Inject
    transient SideBySideService sideBySideService;

    @Inject
    transient MatchingService matchingService;

    @Inject
    transient EscalationService escalationService;

    @Inject
    transient RecoveryCapitalService recoveryCapitalService;

    @Inject
    transient BundleProcessor bundleProcessor;

    @Inject
    transient OperationAccess operationAccess;

    @Inject
    transient AuditStore auditStore;

    @Inject
    transient AuditInterceptor auditInterceptor;

    @Inject
    transient BulkExportService bulkExportService;

    @Inject
    transient org.alongside.billing.BillingExportService billingExportService;

    @Inject
    transient org.alongside.billing.BillingConfig billingConfig;

    @Inject
    transient org.alongside.report.ProgramReportService programReportService;

    @Inject
    transient org.alongside.security.Part2Config part2Config;

    @Inject
    transient org.alongside.health.DatabaseAvailability databaseAvailability;

    @Override
    protected void initialize() {
        // HAPI's per-request logging quotes request values (search values are names, identifiers); errors that
        // matter are logged by ErrorMasking with an incident id only.
        HapiLogs.quiet();
        setFhirContext(fhirContext);
        setDefaultResponseEncoding(EncodingEnum.JSON);
        setImplementationDescription("Alongside: peer mentorship next to therapy in FHIR R4 care plans");
        String version = getClass().getPackage().getImplementationVersion();

        List<IResourceProvider> providers = new ArrayList<>();
        for (String type : registry.resourceTypes()) {
            providers.add(new ResourceTypeProvider(fhirContext.getResourceDefinition(type).getImplementingClass(),
                    type, pipeline, searchBundles, searchParser, validator, fhirContext));
        }
        for (Class<? extends MetadataResource> type : ConformanceResourceProvider.TYPES) {
            providers.add(new ConformanceResourceProvider(type, conformance));
        }
        providers.add(new AuditEventProvider(auditStore, pipeline, config.defaultCount(), config.maxCount()));
        setResourceProviders(providers);
        registerProvider(new DisclosureAccounting(auditStore, pipeline, config.maxCount()));
        registerProvider(new SystemProvider(searchBundles, bundleProcessor));
        registerProvider(new MentorshipOperations(assignmentService, sessionService, sideBySideService,
                matchingService, escalationService));
        registerProvider(new RecoveryOutcomeOperations(recoveryCapitalService));
        registerProvider(new BulkExportOperations(bulkExportService, fhirContext));
        registerProvider(new PatientEverythingOperation(patientEverything));
        registerProvider(new SubscriptionOperations(subscriptionQueries));
        registerProvider(new TerminologyOperations(terminology, conformance));
        registerProvider(new BillingExportOperation(billingExportService, billingConfig.maxPeriodDays()));
        registerProvider(new ProgramReportOperation(programReportService, part2Config, billingConfig.policy().zone()));

        Set<String> conformanceTypes =
                ConformanceResourceProvider.TYPES.stream().map(Class::getSimpleName).collect(Collectors.toSet());
        registerInterceptor(new RequestGuard(config.maxBodyBytes(), config.maxNestingDepth(), conformanceTypes));
        registerInterceptor(auditInterceptor);
        registerInterceptor(operationAccess);
        // after the access check: unknown references are looked up only for callers who may invoke the operation
        registerInterceptor(new OperationParameters(fhirContext, pipeline, conformanceTypes));
        registerInterceptor(new ResponseShaping());
        registerInterceptor(new ErrorMasking(databaseAvailability::report));
        registerInterceptor(new CapabilityStatementCustomizer(registry, conformance, version == null ? "dev" : version));
    }
}
