package org.alongside.sync.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KickoffParserTest {

    private static final List<String> ASYNC = List.of("respond-async");
    private final KickoffParser parser = new KickoffParser(List.of("Patient", "Practitioner", "Goal", "Communication"),
            List.of("Patient", "Goal", "Communication"));

    private static Map<String, String[]> params(String... pairs) {
        Map<String, String[]> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], new String[] {pairs[i + 1]});
        }
        return map;
    }

    private ExportRequest parse(ExportLevel level, Map<String, String[]> parameters) {
        return parser.parse(level, parameters, ASYNC, "http://x/fhir/$export");
    }

    @Test
    void withoutParametersASystemExportCoversEveryTypeAndAPatientExportTheCompartment() {
        ExportRequest system = parse(ExportLevel.SYSTEM, params());
        assertThat(system.types()).containsExactly("Patient", "Practitioner", "Goal", "Communication");
        assertThat(system.since()).isNull();
        assertThat(system.requestUrl()).isEqualTo("http://x/fhir/$export");
        assertThat(parse(ExportLevel.PATIENT, params()).types()).containsExactly("Patient", "Goal", "Communication");
    }

    @Test
    void typesComeInServerOrderWithoutDuplicatesFromCommaListsAndRepeats() {
        Map<String, String[]> parameters = new LinkedHashMap<>();
        parameters.put("_type", new String[] {"Communication, Patient", "Communication"});
        assertThat(parse(ExportLevel.SYSTEM, parameters).types()).containsExactly("Patient", "Communication");
    }

    @Test
    void unknownTypesAndTypesOutsideTheCompartmentAreRefused() {
        assertThatThrownBy(() -> parse(ExportLevel.SYSTEM, params("_type", "Patient,Observation")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("Observation");
        assertThatThrownBy(() -> parse(ExportLevel.SYSTEM, params("_type", "Patient,")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> parse(ExportLevel.PATIENT, params("_type", "Practitioner")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("compartment");
    }

    @Test
    void sinceIsAnInstantWithZone() {
        assertThat(parse(ExportLevel.SYSTEM, params("_since", "2026-03-01T10:15:30Z")).since())
                .isEqualTo(Instant.parse("2026-03-01T10:15:30Z"));
        assertThat(parse(ExportLevel.SYSTEM, params("_since", "2026-03-01T10:15:30.250+02:00")).since())
                .isEqualTo(Instant.parse("2026-03-01T08:15:30.250Z"));
        // an unencoded '+' arrives as a space
        assertThat(parse(ExportLevel.SYSTEM, params("_since", "2026-03-01T10:15:30 02:00")).since())
                .isEqualTo(Instant.parse("2026-03-01T08:15:30Z"));
        for (String bad : new String[] {"yesterday", "2026-13-01T00:00:00Z", "2026-03-01", "2026-03-01T10:15:30"}) {
            assertThatThrownBy(() -> parse(ExportLevel.SYSTEM, params("_since", bad))).as(bad)
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("_since");
        }
    }

    @Test
    void outputFormatMustBeNdjson() {
        for (String ok : new String[] {"application/fhir+ndjson", "application/ndjson", "ndjson",
                "application/fhir ndjson"}) {
            assertThat(parse(ExportLevel.SYSTEM, params("_outputFormat", ok))).as(ok).isNotNull();
        }
        for (String bad : new String[] {"application/fhir+json", "text/csv", ""}) {
            assertThatThrownBy(() -> parse(ExportLevel.SYSTEM, params("_outputFormat", bad))).as(bad)
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("_outputFormat");
        }
    }

    @Test
    void respondAsyncIsRequired() {
        assertThatThrownBy(() -> parser.parse(ExportLevel.SYSTEM, params(), List.of(), "u"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("respond-async");
        assertThatThrownBy(() -> parser.parse(ExportLevel.SYSTEM, params(), List.of("return=minimal"), "u"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("respond-async");
        assertThat(parser.parse(ExportLevel.SYSTEM, params(), List.of("handling=strict, respond-async"), "u"))
                .isNotNull();
    }

    @Test
    void unsupportedAndUnknownParametersAreRefusedUnlessLenient() {
        assertThatThrownBy(() -> parse(ExportLevel.SYSTEM, params("_typeFilter", "Patient?active=true")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("_typeFilter is not supported");
        assertThatThrownBy(() -> parse(ExportLevel.SYSTEM, params("_foo", "1")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("Unknown $export parameter _foo");
        ExportRequest lenient = parser.parse(ExportLevel.SYSTEM, params("_typeFilter", "Patient?active=true",
                "_type", "Goal"), List.of("respond-async", "handling=lenient"), "u");
        assertThat(lenient.types()).containsExactly("Goal");
    }

    @Test
    void aParameterGivenTwiceIsRefused() {
        Map<String, String[]> parameters = new LinkedHashMap<>();
        parameters.put("_since", new String[] {"2026-03-01T10:15:30Z", "2026-03-02T10:15:30Z"});
        assertThatThrownBy(() -> parse(ExportLevel.SYSTEM, parameters))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("only once");
    }
}
