package org.alongside.it.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The program director's page: a read-only report of the program (charts and tables of the month-by-month figures,
 * and every peer's figures for one month), in English and Spanish, on a phone and on a desktop, with no one in care
 * named anywhere. Signed in through the server's development authorization server as a program director, who may
 * read no record about a person: the page shows only what {@code $program-report} computes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DirectorJourneyIT {

    private static final Scene scene = new Scene();
    private static Browser browser;
    private static String jordanRole;
    private static String alexRole;
    /** Each session: start, minutes, peer. */
    private static final List<Object[]> SESSIONS = new java.util.ArrayList<>();

    @BeforeAll
    static void setUp() {
        scene.organization();
        String chen = scene.practitioner("chen", "Dr. Chen");
        jordanRole = scene.peerRole(scene.practitioner("jordan", "Jordan Reyes"), null);
        alexRole = scene.peerRole(scene.practitioner("alex", "Alex Kim"), null);
        String director = scene.practitioner("dana", "Dana Whitfield");
        String maria = scene.patient("maria", "Maria", "Lopez");
        String lee = scene.patient("lee", "Lee", "Park");
        String noor = scene.patient("noor", "Noor", "Haddad");
        LocalDate start = LocalDate.now(ZoneOffset.UTC).minusDays(40);
        scene.assign(scene.plan(maria, "Part-time work", chen), jordanRole, chen, start);
        scene.assign(scene.plan(lee, "Sleep better", chen), jordanRole, chen, start);
        scene.assign(scene.plan(noor, "Reconnect with family", chen), alexRole, chen, start);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        session(maria, jordanRole, now.minus(3, ChronoUnit.HOURS), 30);
        session(lee, jordanRole, now.minus(2, ChronoUnit.DAYS), 45);
        session(noor, alexRole, now.minus(1, ChronoUnit.DAYS), 60);
        browser = Browser.phone();
        browser.signIn("program-director", director);
    }

    private static void session(String patient, String role, Instant start, int minutes) {
        scene.session(patient, role, start, minutes, "in-person", "Talked through the week");
        SESSIONS.add(new Object[] {start, minutes, role});
    }

    /** Sessions of the role (null: everyone's) that started this month, UTC as the test server's clinic keeps it. */
    private static long sessionsThisMonth(String role) {
        YearMonth month = YearMonth.now(ZoneOffset.UTC);
        return SESSIONS.stream().filter(s -> role == null || s[2].equals(role))
                .filter(s -> YearMonth.from(((Instant) s[0]).atZone(ZoneOffset.UTC)).equals(month)).count();
    }

    @AfterAll
    static void tearDown() {
        if (browser != null) {
            browser.close();
        }
    }

    private static void showOurProgram() {
        browser.awaitText(By.id("page-title"), "Program report");
        browser.await(By.id("program-name"));
        String ours = "Organization/" + scene.id("clinic");
        if (!browser.driver().findElements(By.id("program")).isEmpty()) {
            new Select(browser.await(By.id("program"))).selectByValue(ours);
        }
        browser.await(By.cssSelector("#program-name[data-program='" + ours + "']"));
    }

    @Test
    @Order(1)
    void theDirectorSeesTheProgramsMonthsAsChartsAndTablesAndEachPeersFigures() {
        showOurProgram();
        String month = YearMonth.now(ZoneOffset.UTC).toString();
        By programMonth = By.cssSelector("#program-months tr[data-month='" + month + "']");
        browser.awaitText(By.cssSelector("#program-months tr[data-month='" + month + "'] [data-figure='active-mentees']"), "3");
        assertThat(browser.text(By.cssSelector("#program-months tr[data-month='" + month + "'] [data-figure='sessions']")))
                .isEqualTo(String.valueOf(sessionsThisMonth(null)));
        assertThat(browser.text(programMonth)).isNotEmpty();
        String jordan = "#peer-figures tr[data-peer='PractitionerRole/" + jordanRole + "']";
        assertThat(browser.text(By.cssSelector(jordan + " th"))).isEqualTo("Jordan Reyes");
        assertThat(browser.text(By.cssSelector(jordan + " [data-figure='active-mentees']"))).isEqualTo("2");
        assertThat(browser.text(By.cssSelector(jordan + " [data-figure='sessions']")))
                .isEqualTo(String.valueOf(sessionsThisMonth(jordanRole)));
        assertThat(browser.text(By.cssSelector("#peer-figures tr[data-peer='PractitionerRole/" + alexRole
                + "'] [data-figure='active-mentees']"))).isEqualTo("1");
        for (String chart : List.of("active-mentees", "contacts", "units", "supervision-hours")) {
            assertThat(browser.driver().findElements(By.cssSelector("#chart-" + chart + " svg[role='img'] title")))
                    .as(chart + " chart and its title").hasSize(1);
        }
        assertThat(browser.text(By.tagName("body"))).doesNotContain("Lopez").doesNotContain("Maria")
                .doesNotContain("Haddad");
        browser.assertAccessible("program report");
        browser.assertLargeTargets("program report");
        browser.assertNoHorizontalScroll("program report");
        browser.screens("director-report");
    }

    @Test
    @Order(2)
    void thePageReadsTheSameInSpanishAndStaysAccessible() {
        new Select(browser.await(By.id("language"))).selectByValue("es");
        browser.awaitText(By.id("page-title"), "Informe del programa");
        browser.await(By.xpath("//th[normalize-space()='Mentados activos']"));
        browser.assertAccessible("program report in Spanish");
        browser.assertNoHorizontalScroll("program report in Spanish");
        new Select(browser.await(By.id("language"))).selectByValue("en");
        browser.awaitText(By.id("page-title"), "Program report");
    }

    @Test
    @Order(3)
    void onADesktopTheChartsSitSideBySideAndNothingIsInaccessible() {
        browser.size(Browser.DESKTOP_WIDTH, Browser.DESKTOP_HEIGHT, false);
        showOurProgram();
        browser.assertAccessible("program report on a desktop");
        browser.assertNoHorizontalScroll("program report on a desktop");
        new Select(browser.await(By.id("language"))).selectByValue("es");
        browser.awaitText(By.id("page-title"), "Informe del programa");
        browser.assertAccessible("program report on a desktop in Spanish");
        new Select(browser.await(By.id("language"))).selectByValue("en");
        browser.size(Browser.PHONE_WIDTH, Browser.PHONE_HEIGHT, true);
    }

    @Test
    @Order(4)
    void aLongerPeriodShowsMoreMonths() {
        showOurProgram();
        new Select(browser.await(By.id("span"))).selectByValue("12");
        showOurProgram();
        browser.waiting().until(d -> d.findElements(By.cssSelector("#program-months tbody tr")).size() == 12);
        browser.assertAccessible("program report over a year");
    }
}
