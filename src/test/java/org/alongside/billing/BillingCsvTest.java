package org.alongside.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.alongside.billing.BillableSession.CoSignature;
import org.junit.jupiter.api.Test;

class BillingCsvTest {

    @Test
    void billedLinesComeFirstThenExcludedSessionsWithTheirReasonOneRowEachWithCrlf() {
        BillingExport.Result result = BillingExportTest.export(BillingExportTest.session().group().build(),
                BillingExportTest.session().id("s2").signed(CoSignature.NONE).at("2026-03-11T10:00:00Z").build());
        String[] rows = BillingCsv.write(result).split("\r\n", -1);
        assertThat(rows).hasSize(4); // header, two rows, and the empty rest after the last CRLF
        assertThat(rows[0]).startsWith("status,exclusion_reason,service_date,hcpcs,modifier_1,modifier_2,units,"
                + "place_of_service,modality,diagnoses,patient,");
        assertThat(rows[1]).isEqualTo("billable,,2026-03-10,H0038,HQ,95,3,02,video,F11.20,Patient/maria,urn:mrn|123,"
                + "\"Lopez, Maria\",1234567893,PractitionerRole/jordan,,PractitionerRole/sam,2026-03-10T14:00:00Z,"
                + "2026-03-10T14:40:00Z,Encounter/s1,");
        assertThat(rows[2]).startsWith("excluded,not-cosigned,2026-03-11,H0038,,,3,,video,F11.20,Patient/maria,")
                .endsWith(",Encounter/s2,No supervisor has co-signed the session or its note");
        assertThat(rows[3]).isEmpty();
        assertThat(rows[1].split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1)).hasSize(BillingCsv.HEADER.size());
    }

    @Test
    void quotesAndCommasAreQuotedAndWhatASpreadsheetWouldRunAsAFormulaIsDefused() {
        assertThat(BillingCsv.field("plain")).isEqualTo("plain");
        assertThat(BillingCsv.field("O\"Brien, Pat")).isEqualTo("\"O\"\"Brien, Pat\"");
        assertThat(BillingCsv.field("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(BillingCsv.field("+1")).isEqualTo("'+1");
        assertThat(BillingCsv.field("@SUM")).isEqualTo("'@SUM");
        assertThat(BillingCsv.field("line\nbreak")).isEqualTo("\"line\nbreak\"");
    }

    @Test
    void anEmptyPeriodIsTheHeaderAlone() {
        assertThat(BillingCsv.write(BillingExportTest.export())).isEqualTo(String.join(",", BillingCsv.HEADER) + "\r\n");
        assertThat(BillingCsv.HEADER).doesNotHaveDuplicates().hasSize(21);
        assertThat(List.copyOf(BillingCsv.HEADER)).contains("rendering_npi", "supervising_npi", "diagnoses");
    }

    /** The example file in docs/ has the export's columns, CRLF rows and a reason code on each excluded row. */
    @Test
    void theExampleFileInTheDocsHasTheExportsShape() throws java.io.IOException {
        String example = java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("basedir", "."),
                "docs", "examples", "billing-export-example.csv"));
        String[] rows = example.split("\r\n");
        assertThat(example).endsWith("\r\n").doesNotContain("\r\r");
        assertThat(rows[0]).isEqualTo(String.join(",", BillingCsv.HEADER));
        List<String> reasons = java.util.Arrays.stream(ExclusionReason.values()).map(ExclusionReason::code).toList();
        for (String row : java.util.Arrays.asList(rows).subList(1, rows.length)) {
            String[] fields = row.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1);
            assertThat(fields).as(row).hasSize(BillingCsv.HEADER.size());
            assertThat(fields[0]).isIn("billable", "excluded");
            if (fields[0].equals("excluded")) {
                assertThat(reasons).as(row).contains(fields[1]);
            }
        }
    }
}
