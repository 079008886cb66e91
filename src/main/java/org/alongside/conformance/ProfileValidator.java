package org.alongside.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.SearchParameter;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;

/**
 * Validates resources against base R4 and Alongside's profiles, offline.
 *
 * <p>Built once (construction takes a few seconds: it generates every profile's snapshot) and then thread-safe.
 * The HAPI validation chain is: R4 core definitions, Alongside's resources (with the snapshots generated at
 * construction), snapshot generation (fallback for other differentials), in-memory terminology (expands
 * Alongside's value sets and the R4 ones that enumerate codes), common code systems (UCUM, languages, MIME
 * types, ...), and finally a fallback that turns "unknown code system" into a warning, so codes from SNOMED CT,
 * NUCC and HCPCS, which cannot be checked offline, never make a resource invalid. The chain caches lookups
 * itself (HAPI 8 deprecates {@code CachingValidationSupport}, so it is not used).
 *
 * <p>Which profiles apply: those Alongside profiles the resource declares in {@code meta.profile}, plus those whose
 * {@code applies-when} FHIRPath expression is true for it (a resource that plays a mentorship role is checked
 * even when it does not declare the profile). A resource to which no profile applies is validated against base
 * R4 only. Only ERROR and FATAL issues make a resource invalid; best-practice checks (e.g. dom-6, narrative) are
 * switched off, unknown profiles in {@code meta.profile} (US Core, ...) give a warning, and unknown extensions are
 * allowed. References are checked for their target type as far as the reference text shows it; they are not
 * resolved.
 *
 * <p>Known limit: validating a StructureDefinition of type Extension makes the HL7 core validator try to download
 * other FHIR versions' core packages (packages.fhir.org) and report an error when it cannot; other resources never
 * touch the network.
 */
public final class ProfileValidator {

    private static final Logger LOG = Logger.getLogger(ProfileValidator.class.getName());

    private final FhirContext context;
    private final ConformanceResources resources;
    private final ValidationSupportChain chain;
    private final ValidationSupportChain terminology;
    private final FhirValidator validator;
    private final FhirInstanceValidator module;
    private final IFhirPath fhirPath;
    /** Profile URL → its applies-when rule, for profiles that have one. */
    private final Map<String, AppliesWhen> rules;
    /** Every Alongside profile URL (kind resource) → the resource type it constrains. */
    private final Map<String, String> profileTypes;

    private record AppliesWhen(String resourceType, String expression, IFhirPath.IParsedExpression parsed) {}

    /** Loads Alongside's conformance resources from the classpath and builds the validator. */
    public static ProfileValidator create(FhirContext context) {
        return new ProfileValidator(context, ConformanceResources.load(context));
    }

    public ProfileValidator(FhirContext context, ConformanceResources resources) {
        this.context = context;
        this.resources = resources;
        long started = System.nanoTime();

        IValidationSupport core = new DefaultProfileValidationSupport(context);
        List<StructureDefinition> withSnapshots = generateSnapshots(context, core, resources);

        PrePopulatedValidationSupport alongside = new PrePopulatedValidationSupport(context);
        for (StructureDefinition sd : withSnapshots) {
            alongside.addStructureDefinition(sd);
        }
        for (CodeSystem cs : resources.codeSystems()) {
            alongside.addCodeSystem(cs.copy());
        }
        for (ValueSet vs : resources.valueSets()) {
            alongside.addValueSet(vs.copy());
        }
        for (SearchParameter sp : resources.searchParameters()) {
            alongside.addSearchParameter(sp.copy());
        }
        alongside.lock();
        IValidationSupport inMemory = new InMemoryTerminologyServerValidationSupport(context);
        IValidationSupport common = new CommonCodeSystemsTerminologyService(context);
        this.chain = new ValidationSupportChain(
                core,
                alongside,
                new SnapshotGeneratingValidationSupport(context),
                inMemory,
                common,
                unknownCodeSystemsAsWarnings(context));
        // the same modules (nothing loaded twice) without the fallback that lets unknown code systems pass
        this.terminology = new ValidationSupportChain(core, alongside, inMemory, common);

        FhirInstanceValidator module = new FhirInstanceValidator(chain);
        // no resource fetcher: canonical URLs are not resolved, so the OID registry the validator loads is never read
        // (src/main/resources/oidregistry.csv replaces it with an empty one, which it parses for every resource)
        this.module = module;
        module.setNoTerminologyChecks(false);
        module.setAnyExtensionsAllowed(true);
        module.setErrorForUnknownProfiles(false);
        // references are not resolved; their target type is taken from the reference text (Patient/123)
        module.setAssumeValidRestReferences(true);
        module.setBestPracticeWarningLevel(BestPracticeWarningLevel.Ignore);
        FhirValidator fhirValidator = new FhirValidator(context);
        fhirValidator.setValidateAgainstStandardSchema(false);
        fhirValidator.setValidateAgainstStandardSchematron(false);
        fhirValidator.registerValidatorModule(module);
        this.validator = fhirValidator;

        this.fhirPath = context.newFhirPath();
        Map<String, AppliesWhen> parsedRules = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (StructureDefinition profile : resources.profiles()) {
            types.put(profile.getUrl(), profile.getType());
            String expression = ConformanceResources.appliesWhen(profile).orElse(null);
            if (expression == null) {
                continue;
            }
            try {
                parsedRules.put(profile.getUrl(),
                        new AppliesWhen(profile.getType(), expression, fhirPath.parse(expression)));
            } catch (Exception e) {
                throw new IllegalStateException(
                        "applies-when of " + profile.getUrl() + " does not parse: " + expression, e);
            }
        }
        this.rules = Collections.unmodifiableMap(parsedRules);
        this.profileTypes = Collections.unmodifiableMap(types);
        LOG.info(() -> String.format("Alongside profile validator ready: %d profiles, %d ms",
                profileTypes.size(), (System.nanoTime() - started) / 1_000_000));
    }

    /**
     * Generates the snapshot of every Alongside StructureDefinition once (extensions first, since profiles use
     * them), so no snapshot is generated while validating requests.
     */
    private static List<StructureDefinition> generateSnapshots(
            FhirContext context, IValidationSupport core, ConformanceResources resources) {
        PrePopulatedValidationSupport differentials = new PrePopulatedValidationSupport(context);
        List<StructureDefinition> ordered = new ArrayList<>();
        for (StructureDefinition sd : resources.structureDefinitions()) {
            StructureDefinition copy = sd.copy();
            differentials.addStructureDefinition(copy);
            if (sd.getKind() == StructureDefinition.StructureDefinitionKind.RESOURCE) {
                ordered.add(copy);
            } else {
                ordered.add(0, copy);
            }
        }
        for (CodeSystem cs : resources.codeSystems()) {
            differentials.addCodeSystem(cs.copy());
        }
        for (ValueSet vs : resources.valueSets()) {
            differentials.addValueSet(vs.copy());
        }
        ValidationSupportChain bootstrap = new ValidationSupportChain(
                ValidationSupportChain.CacheConfiguration.disabled(),
                core,
                differentials,
                new SnapshotGeneratingValidationSupport(context),
                new InMemoryTerminologyServerValidationSupport(context),
                new CommonCodeSystemsTerminologyService(context));
        ValidationSupportContext supportContext = new ValidationSupportContext(bootstrap);
        List<StructureDefinition> out = new ArrayList<>();
        for (StructureDefinition sd : ordered) {
            StructureDefinition generated = sd;
            if (!sd.hasSnapshot()) {
                IBaseResource result = bootstrap.generateSnapshot(
                        supportContext, sd, sd.getUrl(), ConformanceResources.CANONICAL_BASE, sd.getName());
                if (!(result instanceof StructureDefinition) || !((StructureDefinition) result).hasSnapshot()) {
                    throw new IllegalStateException("Could not generate the snapshot of " + sd.getUrl());
                }
                generated = (StructureDefinition) result;
                // later snapshots (profiles using this extension) see the generated one
                differentials.addStructureDefinition(generated);
            }
            out.add(generated);
        }
        return out;
    }

    private static IValidationSupport unknownCodeSystemsAsWarnings(FhirContext context) {
        UnknownCodeSystemWarningValidationSupport unknown = new UnknownCodeSystemWarningValidationSupport(context);
        unknown.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
        return unknown;
    }

    /** The conformance resources this validator was built from. */
    public ConformanceResources resources() {
        return resources;
    }

    /** The validation support chain (e.g. for a terminology or $snapshot endpoint). */
    public IValidationSupport validationSupport() {
        return chain;
    }

    /**
     * The validator's code systems and value sets (R4 core, Alongside's, the common ones such as languages), for the
     * terminology operations: the chain's own modules, but without its last fallback, which turns a code system it
     * does not know into a warning so that validation passes. An operation must say "not known" instead.
     */
    public IValidationSupport terminologySupport() {
        return terminology;
    }

    /** Every Alongside profile URL (StructureDefinitions of kind resource). */
    public Set<String> knownProfiles() {
        return profileTypes.keySet();
    }

    /** The StructureDefinition for a URL as the validator sees it (Alongside ones with their snapshot), or null. */
    public StructureDefinition structureDefinition(String url) {
        IBaseResource sd = chain.fetchStructureDefinition(url);
        return sd instanceof StructureDefinition ? (StructureDefinition) sd : null;
    }

    /**
     * The Alongside profile URLs that apply to the resource: those it declares in {@code meta.profile} (a
     * {@code |version} suffix is dropped) and those whose applies-when expression is true for it, in that order,
     * without duplicates.
     */
    public List<String> applicableProfiles(IBaseResource resource) {
        Set<String> out = new LinkedHashSet<>();
        for (IPrimitiveType<String> declared : resource.getMeta().getProfile()) {
            String url = declared.getValue();
            if (url == null) {
                continue;
            }
            int bar = url.indexOf('|');
            String bare = bar < 0 ? url : url.substring(0, bar);
            if (profileTypes.containsKey(bare)) {
                out.add(bare);
            }
        }
        String type = resource.fhirType();
        for (Map.Entry<String, AppliesWhen> rule : rules.entrySet()) {
            if (type.equals(rule.getValue().resourceType()) && matches(resource, rule.getValue())) {
                out.add(rule.getKey());
            }
        }
        return List.copyOf(out);
    }

    private boolean matches(IBaseResource resource, AppliesWhen rule) {
        List<IBase> result;
        try {
            // The FHIRPath engine keeps per-evaluation state: evaluations are cheap, so serialise them.
            synchronized (fhirPath) {
                result = fhirPath.evaluate(resource, rule.parsed(), IBase.class);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, e, () -> "applies-when failed: " + rule.expression());
            return false;
        }
        if (result.size() != 1 || !(result.get(0) instanceof IPrimitiveType)) {
            return false;
        }
        return Boolean.TRUE.equals(((IPrimitiveType<?>) result.get(0)).getValue());
    }

    /**
     * Validates against base R4 and every applicable Alongside profile ({@link #applicableProfiles}); when none
     * applies, against base R4 only.
     */
    public ValidationResult validate(IBaseResource resource) {
        return run(resource, applicableProfiles(resource));
    }

    /**
     * Validates against one profile (for {@code $validate?profile=}), plus any profiles the resource declares in
     * {@code meta.profile}. A blank URL means {@link #validate(IBaseResource)}; an unknown profile gives an
     * invalid result with one error.
     */
    public ValidationResult validate(IBaseResource resource, String profileUrl) {
        if (profileUrl == null || profileUrl.isBlank()) {
            return validate(resource);
        }
        int bar = profileUrl.indexOf('|');
        String url = bar < 0 ? profileUrl : profileUrl.substring(0, bar);
        StructureDefinition profile = structureDefinition(url);
        if (profile == null) {
            return failure(url, "Unknown profile: " + url);
        }
        if (!resource.fhirType().equals(profile.getType())) {
            return failure(url, "Profile " + url + " constrains " + profile.getType() + ", not "
                    + resource.fhirType());
        }
        return run(resource, List.of(url));
    }

    private ValidationResult failure(String profile, String text) {
        SingleValidationMessage message = new SingleValidationMessage();
        message.setSeverity(ResultSeverityEnum.ERROR);
        message.setMessage(text);
        message.setLocationString("Parameters.profile");
        return new ValidationResult(context, List.of(profile), List.of(message));
    }

    /** True when the validator resolves canonical URLs through a fetcher (it must not: see the constructor). */
    boolean resolvesCanonicalUrls() {
        return module.getValidatorResourceFetcher() != null;
    }

    private ValidationResult run(IBaseResource resource, List<String> profiles) {
        ValidationOptions options = new ValidationOptions();
        for (String profile : profiles) {
            options.addProfile(profile);
        }
        ca.uhn.fhir.validation.ValidationResult result = validator.validateWithResult(resource, options);
        // a profile both declared and passed explicitly may be reported twice
        Map<String, SingleValidationMessage> unique = new LinkedHashMap<>();
        for (SingleValidationMessage message : result.getMessages()) {
            unique.putIfAbsent(message.getSeverity() + "|" + message.getLocationString() + "|" + message.getMessage(),
                    message);
        }
        return new ValidationResult(context, profiles, new ArrayList<>(unique.values()));
    }

    /**
     * Validates one synthetic resource per profiled type so the validator's lazy start-up (core definitions,
     * value set expansions) happens before the first real request. Returns the time it took in milliseconds.
     */
    public long warmUp() {
        long started = System.nanoTime();
        Encounter session = new Encounter();
        session.setStatus(Encounter.EncounterStatus.FINISHED);
        session.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", null));
        session.addType(new CodeableConcept(
                new Coding("http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets", "H0038", null)));
        session.setSubject(new Reference("Patient/warm-up"));
        session.setPeriod(new Period());
        validate(session);
        for (Map.Entry<String, String> profile : profileTypes.entrySet()) {
            try {
                IBaseResource empty = context.getResourceDefinition(profile.getValue()).newInstance();
                validate(empty, profile.getKey());
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, e, () -> "warm-up of " + profile.getKey() + " failed");
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        LOG.info(() -> "Alongside profile validator warmed up in " + millis + " ms");
        return millis;
    }
}
