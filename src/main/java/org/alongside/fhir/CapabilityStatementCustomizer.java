package org.alongside.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.Map;
import org.alongside.conformance.ConformanceResources;
import org.alongside.search.SearchParamDef;
import org.alongside.search.SearchParamRegistry;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.ResourceInteractionComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * Completes the CapabilityStatement HAPI derives from the providers with what only the store knows: the
 * search parameters (from the registry), conditional and versioning behaviour. Only what works is declared.
 */
@Interceptor
public class CapabilityStatementCustomizer {

    private final SearchParamRegistry registry;
    private final ConformanceResources profiles;
    private final String softwareVersion;

    public CapabilityStatementCustomizer(SearchParamRegistry registry, ConformanceResources conformance,
                                         String softwareVersion) {
        this.registry = registry;
        this.profiles = conformance;
        this.softwareVersion = softwareVersion;
    }

    /**
     * Bulk Data Access IG v2: the server instantiates its CapabilityStatement, and $export points at the IG's
     * OperationDefinitions. The status and file URLs are steps of the asynchronous pattern that the kick-off and the
     * manifest hand out, not operations a client discovers, so they are not listed.
     */
    private static void declareBulkData(CapabilityStatement capability) {
        capability.addInstantiates("http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data");
        var operations = capability.getRestFirstRep().getOperation();
        operations.removeIf(o -> o.getName().equals("export-poll-status") || o.getName().equals("export-file"));
        operations.stream().filter(o -> o.getName().equals("export"))
                .forEach(o -> o.setDefinition(BulkExportOperations.EXPORT_DEFINITION));
    }

    /**
     * The terminology operations are R4's own: they point at the base OperationDefinitions, not at the ones HAPI
     * derives (which parameters of them are taken is in docs/fhir-api.md; the others are refused with 400).
     */
    private static void declareTerminology(CapabilityStatementRestResourceComponent resource) {
        Map<String, String> definitions = switch (resource.getType()) {
            case "ValueSet" -> Map.of("expand", TerminologyOperations.EXPAND_DEFINITION,
                    "validate-code", TerminologyOperations.VALUE_SET_VALIDATE_DEFINITION);
            case "CodeSystem" -> Map.of("lookup", TerminologyOperations.LOOKUP_DEFINITION,
                    "validate-code", TerminologyOperations.CODE_SYSTEM_VALIDATE_DEFINITION);
            default -> Map.of();
        };
        resource.getOperation().stream().filter(o -> definitions.containsKey(o.getName()))
                .forEach(o -> o.setDefinition(definitions.get(o.getName())));
    }

    /**
     * Subscriptions Backport IG (R4): the statement instantiates the IG's R4 server statement, Subscription supports
     * the backport profile, lists the topics offered by canonical URL (the IG's extension) and points $status and
     * $events at the IG's OperationDefinitions.
     */
    private static void declareTopicSubscriptions(CapabilityStatement capability,
                                                  CapabilityStatementRestResourceComponent resource) {
        if (!resource.getType().equals("Subscription")) {
            return;
        }
        capability.addInstantiates(
                "http://hl7.org/fhir/uv/subscriptions-backport/CapabilityStatement/backport-subscription-server-r4");
        resource.addSupportedProfile(org.alongside.sync.subscription.SubscriptionSpecs.BACKPORT_PROFILE);
        for (var topic : org.alongside.sync.subscription.MentorshipTopics.ALL) {
            resource.addExtension("http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/"
                    + "capabilitystatement-subscriptiontopic-canonical", new org.hl7.fhir.r4.model.CanonicalType(topic.url()));
        }
        Map<String, String> definitions = Map.of("status", SubscriptionOperations.STATUS_DEFINITION,
                "events", SubscriptionOperations.EVENTS_DEFINITION);
        resource.getOperation().stream().filter(o -> definitions.containsKey(o.getName()))
                .forEach(o -> o.setDefinition(definitions.get(o.getName())));
    }

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void customize(IBaseConformance conformance) {
        CapabilityStatement capability = (CapabilityStatement) conformance;
        capability.setPublisher("Alongside");
        capability.getSoftware().setName("Alongside").setVersion(softwareVersion);
        capability.getFormat().clear();
        capability.addFormat("application/fhir+json").addFormat("application/fhir+xml");
        // PATCH takes JSON Patch and FHIRPath Patch (a Parameters body); XML Patch is not offered
        capability.getPatchFormat().clear();
        capability.addPatchFormat("application/json-patch+json").addPatchFormat("application/fhir+json")
                .addPatchFormat("application/fhir+xml");
        var rest = capability.getRestFirstRep();
        declareBulkData(capability);
        for (var code : java.util.List.of(CapabilityStatement.SystemRestfulInteraction.TRANSACTION,
                CapabilityStatement.SystemRestfulInteraction.BATCH)) {
            if (rest.getInteraction().stream().noneMatch(i -> i.getCode() == code)) {
                rest.addInteraction().setCode(code);
            }
        }
        for (CapabilityStatementRestResourceComponent resource : capability.getRestFirstRep().getResource()) {
            String type = resource.getType();
            declareTerminology(resource);
            declareTopicSubscriptions(capability, resource);
            for (StructureDefinition profile : profiles.profiles()) {
                if (profile.getType().equals(type)) {
                    resource.addSupportedProfile(profile.getUrl());
                }
            }
            if (!registry.supportsType(type)) {
                continue;
            }
            if (type.equals("Patient")) {
                resource.getOperation().stream().filter(o -> o.getName().equals("export"))
                        .forEach(o -> o.setDefinition(BulkExportOperations.PATIENT_EXPORT_DEFINITION));
                resource.getOperation().stream().filter(o -> o.getName().equals("everything"))
                        .forEach(o -> o.setDefinition(PatientEverythingOperation.DEFINITION));
            }
            resource.setVersioning(CapabilityStatement.ResourceVersionPolicy.VERSIONEDUPDATE);
            resource.setReadHistory(true);
            resource.setUpdateCreate(true);
            resource.setConditionalCreate(true);
            resource.setConditionalUpdate(true);
            resource.setConditionalDelete(CapabilityStatement.ConditionalDeleteStatus.SINGLE);
            resource.setConditionalRead(CapabilityStatement.ConditionalReadStatus.NOTMATCH); // If-None-Match: 304
            resource.getSearchParam().clear();
            resource.addSearchParam().setName("_id").setType(SearchParamType.TOKEN)
                    .setDefinition("http://hl7.org/fhir/SearchParameter/Resource-id");
            resource.addSearchParam().setName("_lastUpdated").setType(SearchParamType.DATE)
                    .setDefinition("http://hl7.org/fhir/SearchParameter/Resource-lastUpdated");
            for (SearchParamDef param : registry.forType(type)) {
                String definition = profiles.searchParameters().stream()
                        .filter(p -> p.getCode().equals(param.name()) && p.getBase().stream()
                                .anyMatch(b -> b.getCode().equals(type)))
                        .map(p -> p.getUrl()).findFirst().orElse(null);
                resource.addSearchParam().setName(param.name()).setDefinition(definition)
                        .setType(SearchParamType.fromCode(param.type().fhirCode()))
                        .setDocumentation(param.description());
            }
            resource.getSearchInclude().clear();
            resource.getSearchRevInclude().clear();
            for (SearchParamDef param : registry.forType(type)) {
                if (param.type() == org.alongside.search.SearchParamType.REFERENCE) {
                    resource.addSearchInclude(type + ":" + param.name());
                }
            }
            for (String source : registry.resourceTypes()) {
                for (SearchParamDef param : registry.forType(source)) {
                    if (param.type() == org.alongside.search.SearchParamType.REFERENCE
                            && (param.targets().isEmpty() || param.targets().contains(type))) {
                        resource.addSearchRevInclude(source + ":" + param.name());
                    }
                }
            }
            if (resource.getInteraction().stream().noneMatch(i -> i.getCode() == TypeRestfulInteraction.SEARCHTYPE)) {
                resource.addInteraction(new ResourceInteractionComponent().setCode(TypeRestfulInteraction.SEARCHTYPE));
            }
        }
    }
}
