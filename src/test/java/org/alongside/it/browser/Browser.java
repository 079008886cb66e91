package org.alongside.it.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.alongside.it.FhirServer;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through /usr/bin/chromedriver (set explicitly, so Selenium Manager never
 * downloads anything), with what every browser test needs: sign-in, waits with deadlines, axe-core, screenshots
 * at phone and desktop size, the network cut and restored, and the browser console.
 */
public final class Browser implements AutoCloseable {

    public static final int PHONE_WIDTH = 390;
    public static final int PHONE_HEIGHT = 844;
    public static final int DESKTOP_WIDTH = 1366;
    public static final int DESKTOP_HEIGHT = 900;

    private final ChromeDriver driver;
    private final Path profile;
    private final List<String> console = new ArrayList<>();
    private final ServiceWorkers workers;
    private int width;
    private int height;
    private boolean mobile;

    private Browser(boolean phone) {
        try {
            profile = Files.createTempDirectory("alongside-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String driverPath = System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        System.setProperty("webdriver.chrome.driver", driverPath);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("alongside.it.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--lang=en-US", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(driverPath).toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", SERVER_STAND_IN));
        size(phone ? PHONE_WIDTH : DESKTOP_WIDTH, phone ? PHONE_HEIGHT : DESKTOP_HEIGHT, phone);
        workers = new ServiceWorkers(driver);
    }

    /**
     * Installed before any page script runs (the app's HTTP library keeps the fetch it finds when it loads): while
     * window.__answer is set, requests whose URL contains its match get its status and body instead of reaching
     * the server, as a server in trouble or an expired token would answer. Gone with the next page load.
     */
    private static final String SERVER_STAND_IN = """
            (() => {
              const real = window.fetch.bind(window);
              window.fetch = (input, init) => {
                const a = window.__answer;
                const url = typeof input === 'string' ? input : input.url;
                if (a && url.includes(a.match)) {
                  return Promise.resolve(new Response(a.body, { status: a.status, headers: { 'Content-Type': 'application/fhir+json' } }));
                }
                return real(input, init);
              };
            })();""";

    public static Browser phone() {
        return new Browser(true);
    }

    public static Browser desktop() {
        return new Browser(false);
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** The viewport, as a device of that size would have it. */
    public void size(int w, int h, boolean isMobile) {
        this.width = w;
        this.height = h;
        this.mobile = isMobile;
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", w, "height", h, "deviceScaleFactor", 1, "mobile", isMobile));
    }

    public void open(String pathUnderServer) {
        driver.get(FhirServer.baseUrl() + pathUnderServer);
    }

    public WebDriverWait waiting() {
        return waiting(Duration.ofSeconds(30));
    }

    public WebDriverWait waiting(Duration deadline) {
        WebDriverWait wait = new WebDriverWait(driver, deadline, Duration.ofMillis(100));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    public WebElement await(By by) {
        return waiting().until(settled(ExpectedConditions.visibilityOfElementLocated(by)));
    }

    public void click(By by) {
        waiting().until(settled(ExpectedConditions.elementToBeClickable(by))).click();
    }

    /**
     * The condition, looked at again when the page navigated away while it was being looked at: the app moves on by
     * itself (a sign-in redirect, a launch) and Chromium then aborts a command with "aborted by navigation".
     */
    private static <T> org.openqa.selenium.support.ui.ExpectedCondition<T> settled(
            org.openqa.selenium.support.ui.ExpectedCondition<T> condition) {
        return driver -> {
            try {
                return condition.apply(driver);
            } catch (org.openqa.selenium.WebDriverException e) {
                if (e.getMessage() != null && e.getMessage().contains("aborted by navigation")) {
                    return null;
                }
                throw e;
            }
        };
    }

    public void type(By by, String text) {
        WebElement field = await(by);
        field.clear();
        field.sendKeys(text);
    }

    public void awaitText(By by, String text) {
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    public String text(By by) {
        return await(by).getText();
    }

    /**
     * Opens the app and signs in: the app starts a SMART launch; the sign-in page (the server's development
     * authorization page, or the app's own when the server has no authorization server) asks for role and
     * Practitioner id.
     */
    public void signIn(String role, String practitionerId) {
        open("/app/");
        signInOnPage(role, practitionerId);
    }

    /** Fills in the sign-in page already shown. */
    public void signInOnPage(String role, String practitionerId) {
        new Select(await(By.id("role"))).selectByValue(role);
        type(By.id("practitioner"), practitionerId);
        click(By.id("sign-in"));
        await(By.cssSelector("h1#page-title"));
    }

    /** axe-core in the page: no WCAG 2.0/2.1/2.2 A or AA violation. */
    @SuppressWarnings("unchecked")
    public void assertAccessible(String where) {
        String axe;
        try {
            axe = Files.readString(Path.of(System.getProperty("alongside.it.axe",
                    "src/main/app/node_modules/axe-core/axe.min.js")));
        } catch (IOException e) {
            throw new UncheckedIOException("axe-core not installed (npm ci in src/main/app)", e);
        }
        driver.executeScript(axe);
        Object result = driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
                  .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
                  .catch(e => done(['axe failed: ' + e]));
                """);
        assertThat((List<String>) result).as("axe violations on " + where).isEmpty();
    }

    /** Every control a user can tap is at least 44 by 44 CSS pixels (WCAG 2.5.5 target size). */
    @SuppressWarnings("unchecked")
    public void assertLargeTargets(String where) {
        Object small = driver.executeScript("""
                return [...document.querySelectorAll('button, select, input:not([type=radio]):not([type=checkbox]), textarea, summary, label.chip, label.check, label.pick')]
                  .filter(e => e.offsetParent !== null)
                  .map(e => [e, e.getBoundingClientRect()])
                  .filter(([e, r]) => r.height < 44 || r.width < 44)
                  .map(([e, r]) => (e.id || e.className || e.tagName) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height));
                """);
        assertThat((List<String>) small).as("touch targets under 44 px on " + where).isEmpty();
    }

    /** Nothing wider than the viewport: the page reflows (what 200% zoom of a 1280 px window, or 400% of 320, asks). */
    public void assertNoHorizontalScroll(String where) {
        Object overflow = driver.executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(((Number) overflow).intValue()).as("horizontal overflow on " + where).isLessThanOrEqualTo(0);
    }

    /** A screenshot at phone and at desktop size in docs/screens (name-phone.png, name-desktop.png). */
    public void screens(String name) {
        int w = width;
        int h = height;
        boolean m = mobile;
        shot(name + "-phone", PHONE_WIDTH, PHONE_HEIGHT, true);
        shot(name + "-desktop", DESKTOP_WIDTH, DESKTOP_HEIGHT, false);
        size(w, h, m);
    }

    private void shot(String file, int w, int h, boolean isMobile) {
        size(w, h, isMobile);
        driver.executeScript("window.scrollTo(0, 0); document.activeElement && document.activeElement.blur && document.activeElement.blur();");
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        Path dir = Path.of(System.getProperty("alongside.it.screens", "target/screens"));
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(file + ".png"), png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Cuts the browser's network (as a lost signal would), or brings it back: for the page, and for the app's service
     * workers, whose own requests the page's emulation does not reach (DevTools emulates per target).
     */
    public void network(boolean online) {
        driver.executeCdpCommand("Network.enable", Map.of());
        Map<String, Object> conditions = new HashMap<>();
        conditions.put("offline", !online);
        conditions.put("latency", 0);
        conditions.put("downloadThroughput", -1);
        conditions.put("uploadThroughput", -1);
        driver.executeCdpCommand("Network.emulateNetworkConditions", conditions);
        workers.network(online);
    }

    /** What the page wrote to the browser console so far (kept across calls). */
    public List<String> console() {
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            console.add(entry.getLevel() + " " + entry.getMessage());
        }
        return console;
    }

    /** Requests whose URL contains match are answered with this status and OperationOutcome, until stopAnswering. */
    public void answerRequests(String match, int status, String diagnostics) {
        js("window.__answer = { match: arguments[0], status: arguments[1], body: JSON.stringify({ resourceType:"
                + " 'OperationOutcome', issue: [{ severity: 'error', code: 'exception', diagnostics: arguments[2] }] }) };",
                match, status, diagnostics);
    }

    public void stopAnswering() {
        js("window.__answer = null;");
    }

    public String url() {
        return driver.getCurrentUrl();
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    @Override
    public void close() {
        try {
            workers.close();
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a leftover temp profile is harmless
            }
        }
    }
}
