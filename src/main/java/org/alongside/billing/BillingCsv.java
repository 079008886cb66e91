package org.alongside.billing;

import java.util.ArrayList;
import java.util.List;

/**
 * The export as CSV for billing staff (RFC 4180: comma-separated, CRLF, fields with a comma, quote or line break
 * quoted). One row per session of the period: billed lines first, then excluded sessions with their reason, so
 * a spreadsheet filter on {@code status} gives either list. A field that a spreadsheet would run as a formula
 * (starting with {@code = + - @}, a tab or a carriage return) is prefixed with an apostrophe: names and identifiers
 * come from records others wrote. Pure: no I/O.
 */
public final class BillingCsv {

    public static final String MEDIA_TYPE = "text/csv";

    static final List<String> HEADER = List.of("status", "exclusion_reason", "service_date", "hcpcs", "modifier_1",
            "modifier_2", "units", "place_of_service", "modality", "diagnoses", "patient", "patient_identifier",
            "patient_name", "rendering_npi", "rendering_provider", "supervising_npi", "supervising_provider",
            "start", "end", "encounter", "exclusion_detail");

    private BillingCsv() {
    }

    public static String write(BillingExport.Result result) {
        StringBuilder csv = new StringBuilder();
        row(csv, HEADER);
        for (BillingExport.Line line : result.lines()) {
            BillableSession s = line.session();
            row(csv, fields("billable", "", line.date().toString(), line.units(), modifier(line.modifiers(), 0),
                    modifier(line.modifiers(), 1), line.placeOfService(), s, ""));
        }
        for (BillingExport.Excluded excluded : result.excluded()) {
            BillableSession s = excluded.session();
            row(csv, fields("excluded", excluded.reason().code(), excluded.date().toString(), excluded.units(), "", "",
                    "", s, excluded.detail()));
        }
        return csv.toString();
    }

    private static List<String> fields(String status, String reason, String date, int units, String modifier1,
                                       String modifier2, String place, BillableSession s, String detail) {
        List<String> fields = new ArrayList<>();
        fields.add(status);
        fields.add(reason);
        fields.add(date);
        fields.add("H0038");
        fields.add(modifier1);
        fields.add(modifier2);
        fields.add(Integer.toString(units));
        fields.add(place);
        fields.add(orEmpty(s.modality()));
        fields.add(String.join(";", s.diagnoses()));
        fields.add(s.patient());
        fields.add(orEmpty(s.patientIdentifier()));
        fields.add(orEmpty(s.patientName()));
        fields.add(orEmpty(s.renderingNpi()));
        fields.add(orEmpty(s.renderingPeer()));
        fields.add(orEmpty(s.supervisorNpi()));
        fields.add(orEmpty(s.supervisor()));
        fields.add(s.start().toString());
        fields.add(s.end().toString());
        fields.add(s.encounter());
        fields.add(detail);
        return fields;
    }

    private static String modifier(List<String> modifiers, int index) {
        return index < modifiers.size() ? modifiers.get(index) : "";
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static void row(StringBuilder csv, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                csv.append(',');
            }
            csv.append(field(fields.get(i)));
        }
        csv.append("\r\n");
    }

    static String field(String value) {
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }
}
