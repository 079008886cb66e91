package org.alongside.it.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
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
 * A peer who opens the app in a basement without signal: the service worker kept the app's own files when it was
 * last opened with signal, so the page loads, and the caseload shows from the device's encrypted copy, "as of" when it
 * was read. The FHIR API is never answered by the worker, and the sign-in page says plainly that it needs signal.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OfflineStartJourneyIT {

    private static final Scene scene = new Scene();
    private static Browser browser;
    private static String lena;

    @BeforeAll
    static void setUp() {
        scene.organization();
        String chen = scene.practitioner("chen", "Dr. Chen");
        String ari = scene.practitioner("ari", "Ari Banks");
        String role = scene.peerRole(ari, null);
        lena = scene.patient("lena", "Lena", "Moreau");
        scene.assign(scene.plan(lena, "Get a library card", chen), role, chen, LocalDate.now(ZoneOffset.UTC).minusDays(9));
        scene.session(lena, role, Instant.now().minus(2, ChronoUnit.DAYS), 30, "video", "Walked to the library together");
        browser = Browser.phone();
        browser.signIn("peer-specialist", ari);
    }

    @AfterAll
    static void tearDown() {
        if (browser != null) {
            browser.network(true);
            List<String> console = browser.console();
            browser.close();
            assertThat(String.join("\n", console)).as("browser console").doesNotContain("Lena", "Moreau", "library");
        }
    }

    @Test
    @Order(1)
    void openedOnceWithSignalTheAppKeepsItsOwnFilesAndTheCaseload() {
        browser.await(By.cssSelector("[data-person='" + lena + "']")).click();
        browser.awaitText(By.cssSelector(".goals"), "Get a library card");
        browser.click(By.cssSelector(".back"));
        browser.await(By.cssSelector("[data-person='" + lena + "']"));
        // the worker installed, kept the build's files, and took charge of this page
        browser.waiting().until(d -> Boolean.TRUE.equals(browser.js("return !!navigator.serviceWorker.controller;")));
        Object kept = browser.driver().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                caches.keys().then(names => Promise.all(names.map(n => caches.open(n).then(c => c.keys()))))
                  .then(lists => done(lists.flat().map(r => new URL(r.url).pathname)));""");
        assertThat((List<?>) kept).as("kept by the worker").anyMatch(p -> p.toString().endsWith("/app/index.html"))
                .anyMatch(p -> p.toString().endsWith("/app/launch.html"))
                .anyMatch(p -> p.toString().matches(".*/app/assets/index-[^/]+\\.js"))
                .noneMatch(p -> p.toString().matches(".*/(fhir|auth)/.*") || p.toString().endsWith("config.json"));
    }

    @Test
    @Order(2)
    void withoutSignalTheAppStillOpensAndShowsTheCaseloadAsOfWhenItWasRead() {
        // a mark on the worker's copy of the page, so the test sees the page came from that copy and not the server
        Object marked = browser.driver().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const url = new URL('index.html', document.baseURI).href;
                caches.keys().then(names => caches.open(names.find(n => n.startsWith('alongside-app-'))))
                  .then(cache => cache.match(url).then(r => r.text()).then(html => cache.put(url, new Response(
                    html.replace('<head>', '<head><meta name="kept-copy" content="1">'),
                    { headers: { 'Content-Type': 'text/html;charset=UTF-8' } }))))
                  .then(() => done('marked'), e => done(String(e)));""");
        assertThat(marked).isEqualTo("marked");
        browser.network(false);
        browser.open("/app/");
        browser.awaitText(By.id("page-title"), "My people");
        assertThat(browser.js("return !!document.querySelector('meta[name=kept-copy]');"))
                .as("the page came from the worker's copy").isEqualTo(true);
        browser.awaitText(By.id("connection"), "Offline");
        browser.awaitText(By.id("as-of"), "as of");
        browser.awaitText(By.cssSelector("[data-person='" + lena + "']"), "Lena Moreau");
        browser.assertAccessible("caseload opened without signal");
        browser.assertLargeTargets("caseload opened without signal");
        browser.screens("peer-offline-start");
        new Select(browser.await(By.id("language"))).selectByValue("es");
        browser.awaitText(By.id("as-of"), "Sin conexión");
        browser.assertAccessible("caseload opened without signal in Spanish");
        new Select(browser.await(By.id("language"))).selectByValue("en");

        browser.await(By.cssSelector("[data-person='" + lena + "']")).click();
        browser.awaitText(By.id("as-of"), "as of");
        browser.awaitText(By.cssSelector(".goals"), "Get a library card");
        browser.assertAccessible("person opened without signal");
    }

    @Test
    @Order(3)
    void theFhirApiIsNeverAnsweredFromTheWorkersCache() {
        Object answer = browser.driver().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(new URL('../fhir/metadata', document.baseURI)).then(r => done('status ' + r.status), e => done('failed'));""");
        assertThat(answer).isEqualTo("failed");
        Object config = browser.driver().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(new URL('config.json', document.baseURI)).then(r => done('status ' + r.status), e => done('failed'));""");
        assertThat(config).as("the settings are read fresh or not at all").isEqualTo("failed");
    }

    @Test
    @Order(4)
    void withoutSignalTheSignInPageSaysSigningInNeedsAConnectionInsteadOfLooping() {
        browser.open("/app/launch.html");
        browser.awaitText(By.id("launch-status"), "You are offline");
        assertThat(browser.url()).as("no redirect to a sign-in server").contains("/app/launch.html");
        browser.assertAccessible("sign-in page without signal");
        browser.js("localStorage.setItem('alongside.lang', 'es');");
        browser.open("/app/launch.html");
        browser.awaitText(By.id("launch-status"), "Está sin conexión");
        browser.assertAccessible("sign-in page without signal in Spanish");
        browser.js("localStorage.setItem('alongside.lang', 'en');");
    }
}
