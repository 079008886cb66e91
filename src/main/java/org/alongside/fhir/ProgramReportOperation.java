package org.alongside.fhir;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.alongside.report.ProgramMeasureReports;
import org.alongside.report.ProgramReportService;
import org.alongside.security.Part2Config;
import org.alongside.security.RequestAccess;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Organization;

/**
 * {@code Organization/$program-report} (every program with peer specialists) and
 * {@code Organization/[id]/$program-report} (one program): the monthly figures from {@code periodStart} to
 * {@code periodEnd} (months, YYYY-MM; a whole date stands for its month) as a Bundle of MeasureReports, one per program
 * and one per peer for each month. {@code OperationAccess} decides who may run it; a reader outside a Part 2 program
 * gets figures without the records labelled Part 2.
 */
public class ProgramReportOperation {

    /** Months one report may cover at most: two years, a bounded amount of work per request. */
    static final int MAX_MONTHS = 24;

    private final ProgramReportService service;
    private final Part2Config part2;
    private final ZoneId zone;

    ProgramReportOperation(ProgramReportService service, Part2Config part2, ZoneId zone) {
        this.service = service;
        this.part2 = part2;
        this.zone = zone;
    }

    @Operation(name = "$program-report", type = Organization.class, idempotent = true)
    public Bundle report(@IdParam(optional = true) IdType organization,
                         @OperationParam(name = "periodStart", min = 1, max = 1) DateType periodStart,
                         @OperationParam(name = "periodEnd", min = 1, max = 1) DateType periodEnd) {
        YearMonth first = month("periodStart", periodStart);
        YearMonth last = month("periodEnd", periodEnd);
        if (last.isBefore(first)) {
            throw new InvalidRequestException("Parameter 'periodEnd' (" + last + ") is before 'periodStart' (" + first
                    + ")");
        }
        if (ChronoUnit.MONTHS.between(first, last) + 1 > MAX_MONTHS) {
            throw new InvalidRequestException("The period covers more than " + MAX_MONTHS + " months; ask in parts");
        }
        String id = organization == null || !organization.hasIdPart() ? null : organization.getIdPart();
        RequestAccess access = RequestAccess.current();
        boolean countPart2 = !part2.enabled() || access == null || access.caller() == null
                || !part2.isOutsideRecipient(access.caller());
        return ProgramMeasureReports.bundle(service.run(first, last, id, countPart2), zone, new Date());
    }

    private static YearMonth month(String name, DateType value) {
        if (value == null || value.getValue() == null) {
            throw new InvalidRequestException("Parameter '" + name + "' is required for $program-report");
        }
        if (value.getPrecision() != TemporalPrecisionEnum.MONTH && value.getPrecision() != TemporalPrecisionEnum.DAY) {
            throw new InvalidRequestException("Parameter '" + name + "' must be a month (YYYY-MM), not "
                    + value.getValueAsString());
        }
        return YearMonth.parse(value.getValueAsString().substring(0, 7));
    }
}
