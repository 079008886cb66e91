package org.alongside.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.SearchParameter;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * Alongside's conformance resources (profiles, extensions, code systems, value sets, search parameters), loaded
 * from the classpath folder {@code fhir-profiles/}.
 *
 * <p>Directory listing does not work reliably inside a WAR on Liberty, so the files to load are named by the
 * hand-maintained {@code fhir-profiles/index.json} (key {@code resources}); a unit test checks that the index
 * lists every file of the source folders. Examples are not loaded. Files are parsed strictly: an unknown element
 * or a bad primitive value fails the load. Immutable and thread-safe once built.
 */
public final class ConformanceResources {

    /** Canonical base of every Alongside conformance resource. */
    public static final String CANONICAL_BASE = "http://alongside.health/fhir";
    /** Classpath folder (and source folder at the project root) holding the resources. */
    public static final String CLASSPATH_ROOT = "fhir-profiles/";
    /** The index, relative to {@link #CLASSPATH_ROOT}. */
    public static final String INDEX_FILE = "index.json";
    /** Folders whose files are conformance resources (everything else, e.g. examples, is not loaded). */
    public static final List<String> RESOURCE_FOLDERS =
            List.of("StructureDefinition", "CodeSystem", "ValueSet", "SearchParameter", "Questionnaire", "Measure");
    /** URL of the extension that carries a profile's "applies when" FHIRPath expression. */
    public static final String APPLIES_WHEN_URL = CANONICAL_BASE + "/StructureDefinition/applies-when";

    private final List<String> paths;
    private final List<MetadataResource> all;
    private final Map<String, MetadataResource> byTypeAndId;
    private final Map<String, MetadataResource> byUrl;

    private ConformanceResources(List<String> paths, List<MetadataResource> resources) {
        this.paths = List.copyOf(paths);
        this.all = List.copyOf(resources);
        Map<String, MetadataResource> typeId = new LinkedHashMap<>();
        Map<String, MetadataResource> url = new LinkedHashMap<>();
        for (MetadataResource resource : resources) {
            String key = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
            if (typeId.put(key, resource) != null) {
                throw new IllegalStateException("Duplicate conformance resource " + key);
            }
            if (url.put(resource.getUrl(), resource) != null) {
                throw new IllegalStateException("Duplicate canonical URL " + resource.getUrl());
            }
        }
        this.byTypeAndId = Collections.unmodifiableMap(typeId);
        this.byUrl = Collections.unmodifiableMap(url);
    }

    /** Loads every resource named by the index, using this class's class loader. */
    public static ConformanceResources load(FhirContext context) {
        return load(context, ConformanceResources.class.getClassLoader());
    }

    /**
     * Loads every resource named by {@code fhir-profiles/index.json} from the class loader.
     *
     * @throws IllegalStateException when the index or a listed file is missing or does not parse strictly
     */
    public static ConformanceResources load(FhirContext context, ClassLoader classLoader) {
        List<String> paths = readIndex(classLoader);
        IParser parser = context.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        List<MetadataResource> resources = new ArrayList<>();
        for (String path : paths) {
            String folder = path.contains("/") ? path.substring(0, path.indexOf('/')) : "";
            if (!RESOURCE_FOLDERS.contains(folder)) {
                throw new IllegalStateException("index.json lists " + path + " outside " + RESOURCE_FOLDERS);
            }
            IBaseResource parsed;
            try (Reader reader = open(classLoader, CLASSPATH_ROOT + path)) {
                parsed = parser.parseResource(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + CLASSPATH_ROOT + path, e);
            } catch (RuntimeException e) {
                throw new IllegalStateException("Cannot parse " + CLASSPATH_ROOT + path + ": " + e.getMessage(), e);
            }
            if (!parsed.fhirType().equals(folder) || !(parsed instanceof MetadataResource)) {
                throw new IllegalStateException(path + " holds a " + parsed.fhirType() + ", expected " + folder);
            }
            resources.add((MetadataResource) parsed);
        }
        return new ConformanceResources(paths, resources);
    }

    /** The resource paths (relative to {@code fhir-profiles/}) that the classpath index lists. */
    public static List<String> readIndex(ClassLoader classLoader) {
        JsonNode index = readIndexDocument(classLoader);
        JsonNode list = index.get("resources");
        if (list == null || !list.isArray()) {
            throw new IllegalStateException(CLASSPATH_ROOT + INDEX_FILE + " has no \"resources\" array");
        }
        List<String> paths = new ArrayList<>();
        list.forEach(node -> paths.add(node.asText()));
        return paths;
    }

    /** The whole index document (also lists the examples, which tests use). */
    public static JsonNode readIndexDocument(ClassLoader classLoader) {
        try (Reader reader = open(classLoader, CLASSPATH_ROOT + INDEX_FILE)) {
            return new ObjectMapper().readTree(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + CLASSPATH_ROOT + INDEX_FILE, e);
        }
    }

    private static Reader open(ClassLoader classLoader, String resource) throws IOException {
        InputStream stream = classLoader.getResourceAsStream(resource);
        if (stream == null) {
            throw new IOException("Classpath resource not found: " + resource);
        }
        return new InputStreamReader(stream, StandardCharsets.UTF_8);
    }

    /** {@value #CANONICAL_BASE} */
    public String canonicalBase() {
        return CANONICAL_BASE;
    }

    /** Paths of the loaded files, relative to {@code fhir-profiles/}, in index order. */
    public List<String> paths() {
        return paths;
    }

    /** Every loaded resource, in index order. */
    public List<IBaseResource> all() {
        return List.copyOf(all);
    }

    /** Every StructureDefinition: profiles and extension definitions. */
    public List<StructureDefinition> structureDefinitions() {
        return ofType(StructureDefinition.class);
    }

    /** StructureDefinitions that profile a resource type (kind = resource). */
    public List<StructureDefinition> profiles() {
        List<StructureDefinition> profiles = new ArrayList<>();
        for (StructureDefinition sd : structureDefinitions()) {
            if (sd.getKind() == StructureDefinition.StructureDefinitionKind.RESOURCE) {
                profiles.add(sd);
            }
        }
        return profiles;
    }

    public List<CodeSystem> codeSystems() {
        return ofType(CodeSystem.class);
    }

    public List<ValueSet> valueSets() {
        return ofType(ValueSet.class);
    }

    public List<SearchParameter> searchParameters() {
        return ofType(SearchParameter.class);
    }

    /** Instruments the peer fills in with the person (BARC-10). */
    public List<Questionnaire> questionnaires() {
        return ofType(Questionnaire.class);
    }

    /** The resource with this type (e.g. "StructureDefinition") and id (e.g. "peer-support-session"). */
    public Optional<IBaseResource> findByTypeAndId(String type, String id) {
        return Optional.ofNullable(byTypeAndId.get(type + "/" + id));
    }

    /** The resource with this canonical URL (a trailing {@code |version} is ignored). */
    public Optional<IBaseResource> findByUrl(String url) {
        if (url == null) {
            return Optional.empty();
        }
        int bar = url.indexOf('|');
        return Optional.ofNullable(byUrl.get(bar < 0 ? url : url.substring(0, bar)));
    }

    /** The value of a profile's applies-when extension, if it has one. */
    public static Optional<String> appliesWhen(StructureDefinition profile) {
        return profile.getExtension().stream()
                .filter(e -> APPLIES_WHEN_URL.equals(e.getUrl()) && e.getValue() != null)
                .map(e -> e.getValue().primitiveValue())
                .findFirst();
    }

    private <T extends MetadataResource> List<T> ofType(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (MetadataResource resource : all) {
            if (type.isInstance(resource)) {
                out.add(type.cast(resource));
            }
        }
        return Collections.unmodifiableList(out);
    }
}
