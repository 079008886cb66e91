package org.alongside.it.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.alongside.it.FhirServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/** The app is served under /app by the same server, loads in Chromium, passes axe, and speaks two languages. */
class AppShellIT {

    private static Browser browser;

    @BeforeAll
    static void start() {
        browser = Browser.phone();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void servedUnderAppAndSettingsComeFromTheServer() {
        HttpResponse<String> page = FhirServer.get(FhirServer.baseUrl() + "/app/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<div id=\"root\">");
        HttpResponse<String> config = FhirServer.get(FhirServer.baseUrl() + "/app/config.json");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).contains("\"overdueDays\":7", "\"caseloadLimit\":15", "\"billingUnitMinutes\":15",
                "\"billingMinimumMinutes\":8");
    }

    /** A peer with one person assigned two days ago: the peer's Practitioner id and the person's Patient id. */
    private static String[] peerWithOnePerson() {
        Scene scene = new Scene();
        scene.organization();
        String chen = scene.practitioner("chen", "Dr. Chen");
        String jordan = scene.practitioner("jordan", "Jordan Reyes");
        String role = scene.peerRole(jordan, null);
        String maria = scene.patient("maria", "Maria", "Lopez");
        scene.assign(scene.plan(maria, "Part-time work", chen), role, chen, java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(2));
        return new String[] {jordan, maria};
    }

    @Test
    void pagesAreRevalidatedScriptsCachedForeverBothGzippedAndTheFaviconIsServed() {
        String base = FhirServer.baseUrl();
        HttpResponse<String> page = FhirServer.get(base + "/app/", "Accept-Encoding", "gzip");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
        String etag = page.headers().firstValue("ETag").orElseThrow();
        assertThat(FhirServer.get(base + "/app/", "Accept-Encoding", "gzip", "If-None-Match", etag).statusCode())
                .as("an unchanged page is not sent again").isEqualTo(304);

        String html = FhirServer.get(base + "/app/index.html").body();
        // the pages name their assets relative to themselves, so the app works under any context root
        java.util.regex.Matcher script = java.util.regex.Pattern.compile("\"\\./(assets/[^\"]+\\.js)\"").matcher(html);
        assertThat(script.find()).as("a hashed script in " + html).isTrue();
        String asset = "/app/" + script.group(1);
        HttpResponse<String> plain = FhirServer.get(base + asset);
        HttpResponse<String> gzipped = FhirServer.get(base + asset, "Accept-Encoding", "gzip, deflate");
        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gzipped.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(gzipped.headers().firstValue("Content-Type").orElseThrow()).contains("javascript");
        assertThat(gzipped.headers().firstValueAsLong("Content-Length").orElseThrow())
                .isLessThan(plain.body().length() / 2);
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(plain.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");

        // the service worker is not hashed: revalidated on every check, so a new build's worker takes over
        for (String encoding : new String[] {"gzip", "identity"}) {
            HttpResponse<String> worker = FhirServer.get(base + "/app/sw.js", "Accept-Encoding", encoding);
            assertThat(worker.statusCode()).isEqualTo(200);
            assertThat(worker.headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(worker.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
        }
        assertThat(FhirServer.get(base + "/app/sw.js").body()).contains("const PRECACHE = [", asset.substring("/app/".length()));

        HttpResponse<String> favicon = FhirServer.get(base + "/favicon.ico");
        assertThat(favicon.statusCode()).isEqualTo(200);
        assertThat(favicon.headers().firstValue("Content-Type").orElseThrow()).startsWith("image/");
    }

    @Test
    void openingTheAppTwiceBeforeSigningInStillEndsSignedInWithAToken() {
        String[] peerAndPerson = peerWithOnePerson();
        String jordan = peerAndPerson[0];
        String maria = peerAndPerson[1];
        try (Browser fresh = Browser.phone()) {
            fresh.open("/app/");
            fresh.await(By.id("role")); // the sign-in page: a launch has begun in this tab
            fresh.open("/app/");
            fresh.signInOnPage("peer-specialist", jordan);
            fresh.awaitText(By.id("page-title"), "My people");
            fresh.await(By.cssSelector("[data-person='" + maria + "']"));
            assertThat(fresh.driver().findElements(By.cssSelector(".notice-error"))).isEmpty();
            assertThat((String) fresh.js("return Object.values(sessionStorage).join(' ');")).contains("access_token");
        }
    }

    @Test
    void languageIsSwitchableAndRememberedOutsideTheUrl() {
        String[] peerAndPerson = peerWithOnePerson();
        String jordan = peerAndPerson[0];
        String maria = peerAndPerson[1];

        browser.signIn("peer-specialist", jordan);
        browser.awaitText(By.id("page-title"), "My people");
        String english = browser.text(By.cssSelector("[data-person='" + maria + "']"));
        assertThat(english).contains("No contact yet");

        new Select(browser.await(By.id("language"))).selectByValue("es");
        browser.awaitText(By.id("page-title"), "Mis personas");
        assertThat(browser.text(By.cssSelector("[data-person='" + maria + "']"))).contains("Aún sin contacto");
        assertThat(browser.js("return document.documentElement.lang")).isEqualTo("es");
        browser.assertAccessible("my people in Spanish");
        browser.screens("peer-my-people-es");

        browser.driver().navigate().refresh();
        browser.awaitText(By.id("page-title"), "Mis personas");
        assertThat(browser.url()).doesNotContain("lang").doesNotContain("=es");

        new Select(browser.await(By.id("language"))).selectByValue("en");
        browser.awaitText(By.id("page-title"), "My people");
    }

    @Test
    void everyVisibleStringHasASpanishTranslation() throws Exception {
        java.nio.file.Path messages = java.nio.file.Path.of("src/main/app/src/messages"); // Failsafe runs in the project directory
        String en = java.nio.file.Files.readString(messages.resolve("en.json"));
        String es = java.nio.file.Files.readString(messages.resolve("es.json"));
        java.util.regex.Pattern key = java.util.regex.Pattern.compile("^\\s*\"([^\"]+)\":", java.util.regex.Pattern.MULTILINE);
        java.util.Set<String> enKeys = key.matcher(en).results().map(m -> m.group(1)).collect(java.util.stream.Collectors.toSet());
        java.util.Set<String> esKeys = key.matcher(es).results().map(m -> m.group(1)).collect(java.util.stream.Collectors.toSet());
        assertThat(enKeys).hasSizeGreaterThan(100);
        assertThat(esKeys).isEqualTo(enKeys);
    }
}
