package org.alongside.report;

import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/**
 * The program report as FHIR: a Bundle (collection) of MeasureReports of type summary against the Measure
 * {@link #MEASURE}, one per program (Organization, the reporter; no subject) and one per peer (subject the
 * PractitionerRole, reporter its Organization) for each month. Each figure is a group coded with the figure's code;
 * its measureScore is the figure, absent when there is nothing to take it over. Nothing in it refers to a person in care.
 */
public final class ProgramMeasureReports {

    public static final String BASE = "http://alongside.health/fhir";
    public static final String MEASURE = BASE + "/Measure/program-report";
    public static final String FIGURE = BASE + "/CodeSystem/program-report-figure";
    public static final String POPULATION = "http://terminology.hl7.org/CodeSystem/measure-population";
    private static final String UCUM = "http://unitsofmeasure.org";

    private ProgramMeasureReports() {
    }

    public static Bundle bundle(ProgramReportService.Report report, ZoneId zone, Date now) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        bundle.setTimestamp(now);
        for (ProgramReportService.Program program : report.programs()) {
            for (MonthlyFigures month : report.byProgram().get(program.organization())) {
                bundle.addEntry().setResource(measureReport(month, null, program.organization(), zone, now));
            }
            for (Map.Entry<String, String> peer : program.peers().entrySet()) {
                for (MonthlyFigures month : report.byPeer().get(peer.getKey())) {
                    bundle.addEntry().setResource(measureReport(month, peer.getKey(), program.organization(), zone, now));
                }
            }
        }
        return bundle;
    }

    static MeasureReport measureReport(MonthlyFigures f, String peer, String organization, ZoneId zone, Date now) {
        MeasureReport report = new MeasureReport()
                .setStatus(MeasureReport.MeasureReportStatus.COMPLETE)
                .setType(MeasureReport.MeasureReportType.SUMMARY)
                .setMeasure(MEASURE)
                .setDate(now)
                .setReporter(new Reference(organization))
                .setPeriod(period(f.month(), zone));
        if (peer != null) {
            report.setSubject(new Reference(peer));
        }
        count(report, "active-mentees", "Active mentees", f.activeMentees());
        count(report, "contacts", "Peer contacts", f.contacts());
        decimal(report, "median-days-between-contacts", "Median days between contacts",
                f.medianDaysBetweenContacts(), "d", "days");
        count(report, "sessions", "Peer sessions", f.sessions());
        count(report, "units", "H0038 units", f.units());
        count(report, "goals-achieved", "Goals achieved", f.goalsAchieved());
        MeasureReport.MeasureReportGroupComponent change = decimal(report, "recovery-score-change",
                "Mean BARC-10 change, first to latest", f.meanScoreChange(), "{score}", "points");
        change.addPopulation().setCode(new CodeableConcept(new Coding(POPULATION, "measure-population",
                "Measure Population"))).setCount(f.menteesScored());
        count(report, "escalations", "Escalations", f.escalations());
        decimal(report, "supervision-hours", "Supervision hours", f.supervisionHours(), "h", "hours");
        return report;
    }

    private static void count(MeasureReport report, String code, String display, int value) {
        group(report, code, display).setMeasureScore(new Quantity().setValue(value).setSystem(UCUM).setCode("1"));
    }

    private static MeasureReport.MeasureReportGroupComponent decimal(MeasureReport report, String code, String display,
                                                                     Double value, String unit, String unitDisplay) {
        MeasureReport.MeasureReportGroupComponent group = group(report, code, display);
        if (value != null) {
            group.setMeasureScore(new Quantity().setValue(value).setSystem(UCUM).setCode(unit).setUnit(unitDisplay));
        }
        return group;
    }

    private static MeasureReport.MeasureReportGroupComponent group(MeasureReport report, String code, String display) {
        return report.addGroup().setCode(new CodeableConcept(new Coding(FIGURE, code, display)));
    }

    /** The month as a period in the clinic's time zone: its first instant to the last millisecond of its last day. */
    static Period period(YearMonth month, ZoneId zone) {
        Date start = Date.from(month.atDay(1).atStartOfDay(zone).toInstant());
        Date end = Date.from(month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant().minusMillis(1));
        return new Period().setStart(start).setEnd(end);
    }

    /** The figure codes, in the order of the groups. */
    public static final List<String> FIGURES = List.of("active-mentees", "contacts", "median-days-between-contacts",
            "sessions", "units", "goals-achieved", "recovery-score-change", "escalations", "supervision-hours");
}
