package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.alongside.testsupport.GuideBlocks;
import org.alongside.testsupport.LocalServer;
import org.alongside.testsupport.OwnedServer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ResourceType;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Follows docs/operations.md, "Embedding the WAR in an existing Open Liberty server", as a clinic's IT team would: a
 * Liberty server of the clinic's own (its features, among them pages-3.1, and its portal at {@code /}) gets Alongside
 * at {@code /alongside} by the guide's blocks alone, run as written: the install block, the drop-in
 * {@code alongside.xml} verbatim, and the settings block with this test's values (it must set exactly the settings the
 * guide names). Tokens come from the clinic's own issuer ({@link ClinicIssuer}), not Alongside's development server;
 * the data is on PostgreSQL in a schema of its own. Then it works over HTTP, upgrades by the guide's upgrade blocks
 * (restarting the server on its data) and finally breaks the deployment to see readiness go DOWN.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddingGuideIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVER = "alongside-embed-clinic";
    private static final String CONTEXT_ROOT = "/alongside";
    private static final Path CLINIC = Path.of("src/test/liberty/clinic");
    private static final Duration STOP_WITHIN = Duration.ofSeconds(120);

    private final GuideBlocks guide = GuideBlocks.of(Path.of("docs/operations.md"));
    private final int httpPort = Integer.getInteger("alongside.it.embed.httpPort", 9390);
    private final String schema = System.getProperty("alongside.it.embed.schema", "alongside_embed");
    private final String pgJdbcBase = System.getProperty("alongside.it.pgJdbcBase", "jdbc:postgresql://127.0.0.1:5432/test");
    private final String pgUser = System.getProperty("alongside.it.pgUser", "postgres");
    private final Path wlp = Path.of(System.getProperty("alongside.it.wlp", "target/liberty/wlp")).toAbsolutePath();
    private final Path war = Path.of(System.getProperty("alongside.it.war", "target/alongside.war"));
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private ClinicIssuer issuer;
    private OwnedServer clinic;
    private Path work;
    private String fhirBase;
    private final Map<String, String> written = new LinkedHashMap<>();

    @BeforeAll
    void installAlongsideByTheGuide() throws Exception {
        assertThat(schema).matches("[a-z_][a-z0-9_]*");
        issuer = new ClinicIssuer(Integer.getInteger("alongside.it.embed.issuerPort", 9391));
        dropSchema();
        OwnedServer.Builder builder = OwnedServer.builder(SERVER).wlp(wlp).httpPort(httpPort)
                .serverXml(CLINIC.resolve("server.xml")).jvmOptions(CLINIC.resolve("jvm.options"))
                .withoutApplication(CONTEXT_ROOT);
        try (Stream<Path> portal = Files.walk(CLINIC.resolve("apps"))) {
            portal.filter(Files::isRegularFile).forEach(file -> builder.file(CLINIC.relativize(file).toString(), file));
        }
        clinic = builder.create();
        fhirBase = clinic.fhirBase();

        // what the guide says to have at hand: the WAR, the driver, the drop-in and the settings
        work = Path.of(System.getProperty("alongside.it.embed.workDir", "target/embedding-guide")).toAbsolutePath();
        OwnedServer.deleteTree(work);
        Files.createDirectories(work);
        Files.copy(war, work.resolve("alongside.war"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path driver = Path.of(org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Files.copy(driver, work.resolve(driver.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(work.resolve("alongside.xml"), guide.block("embedding:alongside.xml"));
        Files.writeString(work.resolve("alongside.env"), settings(guide.block("embedding:server.env")));

        bash(guide.block("embedding:install"));
        clinic.startAndAwaitReady();
    }

    @AfterAll
    void stopTheClinicsServer() {
        if (clinic != null) {
            clinic.close();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    @Test
    @Order(1)
    void theGuidesChecksPrintWhatTheGuideSays() {
        String output = bash(guide.block("embedding:check"));

        assertThat(output).contains("4.0.1 " + fhirBase + "\n", "without a token: 401\n",
                "issuer: " + issuer.issuer() + "\n", "database UP\n", "web UP\n");
    }

    @Test
    @Order(2)
    void theClinicsOwnPortalStillAnswersAtTheRootWithItsOwnFeature() {
        HttpResponse<String> portal = get(clinic.baseUrl() + "/");

        assertThat(portal.statusCode()).isEqualTo(200);
        // rendered by the clinic's pages-3.1: the expression was evaluated
        assertThat(portal.body()).contains("Riverside clinic", "page rendered by JSP 42");
        // and Alongside claimed nothing outside its context root
        assertThat(get(clinic.baseUrl() + "/fhir/metadata").statusCode()).isEqualTo(404);
        assertThat(get(clinic.baseUrl() + "/app/").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(3)
    void theCapabilityStatementNamesTheBaseUnderTheContextRoot() {
        CapabilityStatement metadata = FHIR.newRestfulGenericClient(fhirBase).capabilities()
                .ofType(CapabilityStatement.class).execute();

        assertThat(metadata.getFhirVersion().toCode()).isEqualTo("4.0.1");
        assertThat(metadata.getImplementation().getUrl()).isEqualTo(fhirBase);
    }

    @Test
    @Order(4)
    void tokensThatAreMissingForgedOrForAnotherAudienceAreRefused() {
        IGenericClient anonymous = FHIR.newRestfulGenericClient(fhirBase);
        assertThatThrownBy(() -> anonymous.search().forResource(Patient.class).returnBundle(Bundle.class).execute())
                .isInstanceOf(AuthenticationException.class);

        assertThatThrownBy(() -> clientWith(issuer.forgedToken("ehr-system", "system/*.cruds", fhirBase))
                .search().forResource(Patient.class).returnBundle(Bundle.class).execute())
                .isInstanceOf(AuthenticationException.class);
        // the base URL of a server at the root: the same issuer, another resource server
        String rootBase = clinic.baseUrl() + "/fhir";
        assertThatThrownBy(() -> clientWith(issuer.token("ehr-system", "system/*.cruds", null, rootBase))
                .search().forResource(Patient.class).returnBundle(Bundle.class).execute())
                .isInstanceOf(AuthenticationException.class);
    }

    @Test
    @Order(5)
    void anEhrSystemWritesReadsAndSearchesWithTheClinicsTokens() {
        IGenericClient ehr = ehr();
        Patient maria = new Patient();
        maria.addIdentifier().setSystem("urn:clinic:mrn").setValue("mrn-" + run);
        maria.addName().setFamily("Lopez").addGiven("Maria");

        String id = ehr.create().resource(maria).execute().getId().getIdPart();
        Patient read = ehr.read().resource(Patient.class).withId(id).execute();
        Bundle found = ehr.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndCode("urn:clinic:mrn", "mrn-" + run))
                .returnBundle(Bundle.class).execute();

        assertThat(read.getNameFirstRep().getFamily()).isEqualTo("Lopez");
        assertThat(found.getEntry()).extracting(e -> e.getResource().getIdElement().getIdPart()).containsExactly(id);
        assertThat(found.getEntryFirstRep().getFullUrl()).isEqualTo(fhirBase + "/Patient/" + id);
        written.put("Patient", id);
    }

    @Test
    @Order(6)
    void anEhrSystemAssignsAPeerMentorInTheCarePlan() {
        IGenericClient ehr = ehr();
        String patient = written.computeIfAbsent("Patient", type -> ehr.create().resource(new Patient()).execute()
                .getId().getIdPart());
        Practitioner jordan = new Practitioner();
        jordan.addName().setText("Jordan");
        String jordanId = ehr.create().resource(jordan).execute().getId().getIdPart();
        String clinicId = ehr.create().resource(new Organization().setName("Riverside clinic")).execute().getId()
                .getIdPart();
        PractitionerRole role = new PractitionerRole().setActive(true)
                .setPractitioner(new Reference("Practitioner/" + jordanId))
                .setOrganization(new Reference("Organization/" + clinicId));
        role.addCode(new CodeableConcept(new Coding("http://nucc.org/provider-taxonomy", "175T00000X", "Peer Specialist")));
        String roleId = ehr.create().resource(role).execute().getId().getIdPart();
        CarePlan plan = new CarePlan().setStatus(CarePlan.CarePlanStatus.ACTIVE).setIntent(CarePlan.CarePlanIntent.PLAN)
                .setSubject(new Reference("Patient/" + patient));
        String planId = ehr.create().resource(plan).execute().getId().getIdPart();

        Parameters assignment = new Parameters();
        assignment.addParameter().setName("peer").setValue(new Reference("PractitionerRole/" + roleId));
        assignment.addParameter().setName("assigner").setValue(new Reference("Practitioner/" + jordanId));
        Bundle result = ehr.operation().onInstance("CarePlan/" + planId).named("$assign-peer-mentor")
                .withParameters(assignment).returnResourceType(Bundle.class).execute();

        assertThat(result.getEntry()).extracting(e -> e.getResource().getResourceType())
                .contains(ResourceType.CarePlan, ResourceType.CareTeam, ResourceType.ServiceRequest, ResourceType.Task);
        ServiceRequest referral = result.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(ServiceRequest.class::isInstance).map(ServiceRequest.class::cast).findFirst().orElseThrow();
        assertThat(referral.getPerformerFirstRep().getReference()).isEqualTo("PractitionerRole/" + roleId);
        written.put("CarePlan", planId);
        written.put("ServiceRequest", referral.getIdElement().getIdPart());
        written.put("PractitionerRole", roleId);
    }

    @Test
    @Order(7)
    void theWebAppAndItsSmartLaunchLiveUnderTheContextRoot() throws IOException {
        String app = clinic.baseUrl() + CONTEXT_ROOT + "/app/";
        for (String page : List.of("", "launch.html")) {
            HttpResponse<String> html = get(app + page);
            assertThat(html.statusCode()).as(page).isEqualTo(200);
            List<String> assets = references(html.body());
            assertThat(assets).as("assets of " + page).isNotEmpty().allMatch(asset -> asset.startsWith("./assets/"));
            for (String asset : assets) {
                assertThat(get(URI.create(app + page).resolve(asset).toString()).statusCode()).as(asset).isEqualTo(200);
            }
        }
        assertThat(get(app).body()).contains("<div id=\"root\">");

        JsonNode config = JSON.readTree(get(app + "config.json").body());
        assertThat(config.path("groupsClaim").asText()).isEqualTo(ClinicIssuer.ROLES_CLAIM);
        JsonNode smart = JSON.readTree(get(fhirBase + "/.well-known/smart-configuration").body());
        assertThat(smart.path("issuer").asText()).isEqualTo(issuer.issuer());
        assertThat(smart.path("authorization_endpoint").asText()).isEqualTo(issuer.issuer() + "/protocol/openid-connect/auth");
        assertThat(smart.path("token_endpoint").asText()).isEqualTo(issuer.issuer() + "/protocol/openid-connect/token");
        // the development authorization server stays off in an embedded deployment
        assertThat(get(clinic.baseUrl() + CONTEXT_ROOT + "/auth/dev-token?role=admin").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(8)
    void anUpgradeByTheGuideRestartsOnTheExistingDataAndFindsEverythingWritten() throws IOException {
        assertThat(written).containsKeys("Patient", "CarePlan", "ServiceRequest", "PractitionerRole");
        String firstStart = Files.readString(clinic.logDir().resolve("messages.log"));
        assertThat(firstStart).contains("Database schema up to date (" + migrations() + " migrations applied now)");

        bash(guide.block("embedding:backup"));
        clinic.stop(STOP_WITHIN);
        bash(guide.block("embedding:replace"));
        clinic.start();
        String output = bash(guide.block("embedding:after-upgrade"));

        assertThat(output).contains("database UP\n", "web UP\n", "Database schema up to date (0 migrations applied now)");
        try (Stream<Path> dumps = Files.list(work)) {
            assertThat(dumps.filter(f -> f.getFileName().toString().startsWith("alongside-before-upgrade-")))
                    .singleElement().satisfies(dump -> assertThat(Files.size(dump)).isPositive());
        }
        IGenericClient ehr = ehr();
        written.forEach((type, id) -> assertThat(ehr.read().resource(type).withId(id).execute().getIdElement()
                .getIdPart()).as(type).isEqualTo(id));
        Bundle found = ehr.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndCode("urn:clinic:mrn", "mrn-" + run))
                .returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).hasSize(1);
        Bundle referrals = ehr.search().forResource(ServiceRequest.class)
                .where(ServiceRequest.PERFORMER.hasId("PractitionerRole/" + written.get("PractitionerRole")))
                .returnBundle(Bundle.class).execute();
        assertThat(referrals.getEntry()).extracting(e -> e.getResource().getIdElement().getIdPart())
                .containsExactly(written.get("ServiceRequest"));
    }

    @Test
    @Order(9)
    void readinessIsNotUpWhileAlongsideCannotStartAndTheClinicsPortalKeepsAnswering() throws IOException {
        // a deployment that fails at start: an unknown resource type stops it (docs/operations.md)
        Path dropIn = clinic.dir().resolve("configDropins/overrides/alongside.xml");
        String xml = Files.readString(dropIn);
        String broken = xml.replace("<appProperties>",
                "<appProperties>\n            <property name=\"alongside.fhir.resource-types\" value=\"Patient,NoSuchType\"/>");
        assertThat(broken).isNotEqualTo(xml);
        Files.writeString(dropIn, broken);

        awaitLog("Application alongside not updated|CWWKZ0002E|CWWKZ0004E");

        HttpResponse<String> ready = get(clinic.baseUrl() + "/health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
        assertThat(JSON.readTree(ready.body()).path("status").asText()).isEqualTo("DOWN");
        assertThat(get(fhirBase + "/metadata").statusCode()).isEqualTo(404);
        assertThat(get(clinic.baseUrl() + "/").statusCode()).isEqualTo(200);
    }

    /** The guide's settings with this test's values; fails when the guide names a setting more or fewer. */
    private String settings(String block) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("ALONGSIDE_DB_URL", pgJdbcBase + "?currentSchema=" + schema);
        values.put("ALONGSIDE_DB_USER", pgUser);
        values.put("ALONGSIDE_DB_PASSWORD", "");
        values.put("ALONGSIDE_DB_SCHEMA", schema);
        values.put("ALONGSIDE_AUTH_ISSUER", issuer.issuer());
        values.put("ALONGSIDE_AUTH_JWKSURI", issuer.jwksUri());
        values.put("ALONGSIDE_AUTH_AUDIENCES", fhirBase);
        values.put("ALONGSIDE_AUTH_GROUPSCLAIM", ClinicIssuer.ROLES_CLAIM);
        values.put("ALONGSIDE_AUTH_AUTHORIZATION_ENDPOINT", issuer.issuer() + "/protocol/openid-connect/auth");
        values.put("ALONGSIDE_AUTH_TOKEN_ENDPOINT", issuer.issuer() + "/protocol/openid-connect/token");
        // the test's issuer is on loopback, as an identity provider inside the clinic's network is on a private address
        values.put("ALONGSIDE_OUTBOUND_ALLOWEDHOSTS", URI.create(issuer.issuer()).getHost());
        values.put("ALONGSIDE_EXPORT_DIR", clinic.dir().resolve("alongside-export").toString());
        StringBuilder env = new StringBuilder();
        List<String> named = new ArrayList<>();
        for (String line : block.split("\n")) {
            int equals = line.indexOf('=');
            if (line.isBlank() || line.startsWith("#") || equals < 0) {
                env.append(line).append('\n');
                continue;
            }
            String key = line.substring(0, equals);
            assertThat(values).as("a setting the guide names").containsKey(key);
            named.add(key);
            env.append(key).append('=').append(values.get(key)).append('\n');
        }
        assertThat(named).as("the settings the guide names").containsExactlyInAnyOrderElementsOf(values.keySet());
        return env.toString();
    }

    /** Runs a block of the guide as the administrator would, from the directory holding the files it names. */
    private String bash(String block) {
        try {
            Path script = Files.writeString(work.resolve("block.sh"), "set -euo pipefail\n" + block);
            ProcessBuilder bash = new ProcessBuilder("bash", script.toString()).directory(work.toFile())
                    .redirectErrorStream(true);
            Map<String, String> env = bash.environment();
            env.put("WLP_DIR", wlp.toString());
            env.put("WLP_USER_DIR", wlp.resolve("usr").toString());
            env.put("SERVER", SERVER);
            env.put("BASE", clinic.baseUrl());
            env.putAll(libpq());
            env.put("ALONGSIDE_DB_SCHEMA", schema);
            Process process = bash.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
            assertThat(process.exitValue()).as("the guide's block:\n" + block + "\nprinted:\n" + output).isZero();
            return output;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** libpq's variables for the test database, from the JDBC URL the suite uses. */
    private Map<String, String> libpq() {
        Matcher url = Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/([^?]+).*").matcher(pgJdbcBase);
        assertThat(url.matches()).as(pgJdbcBase).isTrue();
        Map<String, String> env = new HashMap<>();
        env.put("PGHOST", url.group(1));
        env.put("PGPORT", url.group(2) == null ? "5432" : url.group(2));
        env.put("PGDATABASE", url.group(3));
        env.put("PGUSER", pgUser);
        return env;
    }

    /** A fresh schema, as a new deployment has: the guide never cleans one (cleanOnStart is false). */
    private void dropSchema() throws SQLException {
        try (Connection db = DriverManager.getConnection(pgJdbcBase, pgUser, "");
             Statement drop = db.createStatement()) {
            drop.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    /** The migrations a first start on PostgreSQL applies: the portable ones and those only PostgreSQL runs. */
    private static long migrations() throws IOException {
        long count = 0;
        for (String folder : List.of("migration", "postgresql")) {
            try (Stream<Path> files = Files.list(Path.of("src/main/resources/db", folder))) {
                count += files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
            }
        }
        return count;
    }

    /** Waits until the server's log has a line matching {@code regex} (Liberty's message that the update ended). */
    private void awaitLog(String regex) throws IOException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (pattern.matcher(Files.readString(clinic.logDir().resolve("messages.log"))).find()) {
                return;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("No log line matching " + regex + " in " + clinic.logDir());
    }

    /** {@code src} and {@code href} values of a page, except inline ones ({@code data:}). */
    private static List<String> references(String html) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            if (!m.group(1).startsWith("data:")) {
                found.add(m.group(1));
            }
        }
        return found;
    }

    private IGenericClient ehr() {
        return clientWith(issuer.token("ehr-system", "system/*.cruds", null, fhirBase));
    }

    private IGenericClient clientWith(String token) {
        IGenericClient client = FHIR.newRestfulGenericClient(fhirBase);
        client.registerInterceptor(new BearerTokenAuthInterceptor(token));
        return client;
    }

    private static HttpResponse<String> get(String url) {
        return LocalServer.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET().build());
    }
}
