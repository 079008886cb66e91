package org.alongside.fhir;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.alongside.billing.BillingCsv;
import org.alongside.billing.BillingExport;
import org.alongside.billing.BillingExportService;
import org.alongside.billing.ChargeItems;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Organization;

/**
 * {@code Organization/$billing-export} (every organization's peers) and {@code Organization/[id]/$billing-export}
 * (the peers holding a role there): the H0038 lines of a period and the excluded sessions with their reasons, as a
 * Bundle of ChargeItems, or as CSV when the client asks for {@code text/csv} (Accept, or {@code _format=csv}).
 * One binding for both levels, so {@link OperationParameters} checks its parameters; {@code OperationAccess} decides
 * who may run it before it runs.
 */
public class BillingExportOperation {

    private final BillingExportService service;
    private final int maxPeriodDays;

    BillingExportOperation(BillingExportService service, int maxPeriodDays) {
        this.service = service;
        this.maxPeriodDays = maxPeriodDays;
    }

    @Operation(name = "$billing-export", type = Organization.class, idempotent = true)
    public IBaseResource export(@IdParam(optional = true) IdType organization,
                                @OperationParam(name = "start", min = 1, max = 1) DateType start,
                                @OperationParam(name = "end", min = 1, max = 1) DateType end,
                                RequestDetails request) {
        LocalDate from = day("start", start);
        LocalDate to = day("end", end);
        if (to.isBefore(from)) {
            throw new InvalidRequestException("Parameter 'end' (" + to + ") is before 'start' (" + from + ")");
        }
        if (ChronoUnit.DAYS.between(from, to) + 1 > maxPeriodDays) {
            throw new InvalidRequestException("The period from 'start' to 'end' covers more than " + maxPeriodDays
                    + " days; export it in parts");
        }
        String id = organization == null || !organization.hasIdPart() ? null : organization.getIdPart();
        Instant now = Instant.now();
        BillingExport.Result result = service.export(from, to, id, now);
        if (wantsCsv(request)) {
            Binary csv = new Binary().setContentType(BillingCsv.MEDIA_TYPE + "; charset=utf-8");
            csv.setContent(BillingCsv.write(result).getBytes(StandardCharsets.UTF_8));
            return csv;
        }
        return ChargeItems.bundle(result, Date.from(now));
    }

    /** A whole day: a year or a month would make the period's ends ambiguous. */
    private static LocalDate day(String name, DateType value) {
        if (value == null || value.getValue() == null) {
            throw new InvalidRequestException("Parameter '" + name + "' is required for $billing-export");
        }
        if (value.getPrecision() != TemporalPrecisionEnum.DAY) {
            throw new InvalidRequestException("Parameter '" + name + "' must be a whole date (YYYY-MM-DD), not "
                    + value.getValueAsString());
        }
        return LocalDate.parse(value.getValueAsString());
    }

    /** CSV when the client asks for it by {@code _format} (csv, text/csv) or prefers it in Accept. */
    static boolean wantsCsv(RequestDetails request) {
        String[] format = request.getParameters().get("_format");
        if (format != null && format.length > 0) {
            String value = format[0].toLowerCase(Locale.ROOT).trim();
            return value.equals("csv") || value.startsWith(BillingCsv.MEDIA_TYPE);
        }
        List<String> accept = request.getHeaders("Accept");
        return accept != null && accept.stream().anyMatch(a -> a.toLowerCase(Locale.ROOT).contains(BillingCsv.MEDIA_TYPE)
                && !a.toLowerCase(Locale.ROOT).contains("fhir"));
    }
}
