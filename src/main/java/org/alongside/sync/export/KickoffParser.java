package org.alongside.sync.export;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.InstantType;

/**
 * Turns the query parameters and headers of a kick-off request into an {@link ExportRequest}, or refuses it with
 * 400 naming what is wrong (Bulk Data Access IG v2, kick-off request). Pure: no I/O.
 */
public final class KickoffParser {

    /** The output formats the IG makes servers accept; all mean NDJSON. */
    public static final Set<String> NDJSON_FORMATS = Set.of("application/fhir+ndjson", "application/ndjson", "ndjson");
    /** Parameters the IG defines that Alongside does not support: refused, or ignored under handling=lenient. */
    private static final Set<String> UNSUPPORTED = Set.of("_typeFilter", "_elements", "patient",
            "includeAssociatedData", "_until", "organizeOutputBy", "allowPartialManifests");
    private static final Set<String> SUPPORTED = Set.of("_outputFormat", "_type", "_since");

    private final List<String> exportableTypes;
    private final Set<String> patientCompartmentTypes;

    /**
     * @param exportableTypes         the server's resource types, in the order files are written
     * @param patientCompartmentTypes the types a Patient-level export covers (Patient and its compartment)
     */
    public KickoffParser(Collection<String> exportableTypes, Collection<String> patientCompartmentTypes) {
        this.exportableTypes = List.copyOf(exportableTypes);
        this.patientCompartmentTypes = Set.copyOf(patientCompartmentTypes);
    }

    public ExportRequest parse(ExportLevel level, Map<String, String[]> parameters, List<String> preferHeaders,
                               String requestUrl) {
        Set<String> prefer = preferTokens(preferHeaders);
        if (!prefer.contains("respond-async")) {
            throw new InvalidRequestException("$export runs asynchronously: send the header 'Prefer: respond-async'");
        }
        boolean lenient = prefer.contains("handling=lenient");
        for (String name : parameters.keySet()) {
            if (SUPPORTED.contains(name)) {
                continue;
            }
            if (lenient) {
                continue; // the IG: an unsupported parameter under handling=lenient is ignored
            }
            throw new InvalidRequestException(UNSUPPORTED.contains(name)
                    ? "The $export parameter " + name + " is not supported by this server"
                    + " (send 'Prefer: handling=lenient' to have it ignored)"
                    : "Unknown $export parameter " + name + "; supported: _outputFormat, _type, _since");
        }
        checkOutputFormat(single(parameters, "_outputFormat"));
        List<String> types = types(level, parameters.get("_type"));
        String since = single(parameters, "_since");
        return new ExportRequest(level, types, since == null ? null : parseInstant(since), requestUrl);
    }

    private static Set<String> preferTokens(List<String> headers) {
        Set<String> tokens = new LinkedHashSet<>();
        if (headers != null) {
            for (String header : headers) {
                for (String token : header.split("[,;]")) {
                    tokens.add(token.replace(" ", "").toLowerCase(Locale.ROOT));
                }
            }
        }
        return tokens;
    }

    private static String single(Map<String, String[]> parameters, String name) {
        String[] values = parameters.get(name);
        if (values == null || values.length == 0) {
            return null;
        }
        if (values.length > 1) {
            throw new InvalidRequestException("$export parameter " + name + " may be given only once");
        }
        return values[0];
    }

    private static void checkOutputFormat(String format) {
        // an unencoded '+' in a query string arrives as a space
        if (format != null && !NDJSON_FORMATS.contains(format.trim().replace(' ', '+').toLowerCase(Locale.ROOT))) {
            throw new InvalidRequestException("Unsupported _outputFormat '" + format
                    + "'; supported: application/fhir+ndjson, application/ndjson, ndjson");
        }
    }

    private List<String> types(ExportLevel level, String[] values) {
        Collection<String> allowed = level == ExportLevel.PATIENT
                ? exportableTypes.stream().filter(patientCompartmentTypes::contains).toList() : exportableTypes;
        if (values == null) {
            return List.copyOf(allowed);
        }
        Set<String> requested = new LinkedHashSet<>();
        for (String value : values) {
            for (String type : value.split(",", -1)) {
                String name = type.trim();
                if (name.isEmpty()) {
                    throw new InvalidRequestException("_type has an empty entry");
                }
                if (!exportableTypes.contains(name)) {
                    throw new InvalidRequestException("_type names " + name
                            + ", which this server does not hold; known: " + String.join(", ", exportableTypes));
                }
                if (!allowed.contains(name)) {
                    throw new InvalidRequestException("_type names " + name + ", which is not in the Patient"
                            + " compartment; a Patient-level export covers: " + String.join(", ", allowed));
                }
                requested.add(name);
            }
        }
        List<String> ordered = new ArrayList<>(allowed);
        ordered.retainAll(requested);
        return ordered;
    }

    private static java.time.Instant parseInstant(String text) {
        String value = text.trim().replace(' ', '+');
        try {
            InstantType instant = new InstantType(value);
            if (instant.getValue() == null || instant.getTimeZone() == null && !value.endsWith("Z")) {
                throw new DataFormatException("no time zone");
            }
            return instant.getValue().toInstant();
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new InvalidRequestException("_since must be a FHIR instant with a time zone, such as"
                    + " 2026-01-31T12:00:00Z; got '" + text + "'");
        }
    }
}
