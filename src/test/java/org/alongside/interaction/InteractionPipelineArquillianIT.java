package org.alongside.interaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;
import java.io.File;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.alongside.mentorship.AssignmentService;
import org.alongside.mentorship.MentorshipCodes;
import org.alongside.mentorship.SessionService;
import org.alongside.security.RequestAccess;
import org.alongside.store.WriteResult;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The one door and the services behind it, tested inside a running Open Liberty server against the application's
 * own H2 data source ({@code jdbc/alongside}, migrated by Flyway at start): no HTTP, no token, no mocks. Arquillian
 * deploys the WAR the build packaged, with this class added, to a server it starts itself (pom.xml: execution
 * {@code it-arq-create} creates it, Failsafe execution {@code it-arq} runs this class) and runs each test in it.
 * What a test wrote is checked with plain SQL on the same data source, not only through the code under test.
 */
@ExtendWith(ArquillianExtension.class)
@EnabledIf("inItsOwnExecutionOrInsideTheServer")
class InteractionPipelineArquillianIT {

    /**
     * Failsafe's it-arq execution names the WAR to deploy; inside the server CDI is there. Any other execution that
     * -Dit.test points here (it-h2, it-pg) has neither, and skips this class rather than start a server of its own.
     */
    static boolean inItsOwnExecutionOrInsideTheServer() {
        if (System.getProperty("alongside.arq.war") != null) {
            return true;
        }
        try {
            return CDI.current() != null;
        } catch (IllegalStateException | LinkageError notInAContainer) {
            return false;
        }
    }

    /** The packaged application, under its own name so that it is a second application beside nothing. */
    @Deployment
    static WebArchive thePackagedApplicationWithThisTest() {
        File war = new File(System.getProperty("alongside.arq.war"));
        return ShrinkWrap.create(ZipImporter.class, "alongside-arq.war").importFrom(war).as(WebArchive.class)
                .addClass(InteractionPipelineArquillianIT.class);
    }

    @Inject
    InteractionPipeline pipeline;

    @Inject
    AssignmentService assignments;

    @Inject
    SessionService sessions;

    @Test
    void aCreateAsTheServerIsStoredInTheDatabaseAndReadBackThroughThePipeline() throws Exception {
        String family = "Arquillian-" + UUID.randomUUID();

        WriteResult written = RequestAccess.asServer(() ->
                pipeline.create(new Patient().addName(new HumanName().setFamily(family)), Optional.empty()));

        assertTrue(written.created());
        assertEquals(1, count("SELECT COUNT(*) FROM res WHERE res_type = 'Patient' AND res_id = ? AND content LIKE ?",
                written.id(), "%" + family + "%"), "the current row of the new Patient");
        assertEquals(1, count("SELECT COUNT(*) FROM res_version WHERE res_type = 'Patient' AND res_id = ?",
                written.id()), "its first version");
        Patient read = (Patient) RequestAccess.asServer(() -> pipeline.read("Patient", written.id()));
        assertEquals(family, read.getNameFirstRep().getFamily());
    }

    @Test
    void aReadWithNoCallerOnTheThreadIsRefusedRatherThanAllowed() {
        String id = RequestAccess.asServer(() -> pipeline.create(new Patient().addName(new HumanName()
                .setFamily("Arquillian-" + UUID.randomUUID())), Optional.empty())).id();
        assertNull(RequestAccess.current(), "asServer leaves no caller behind on the thread");

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> pipeline.read("Patient", id));

        assertTrue(refused.getMessage().contains("No caller"), refused.getMessage());
    }

    @Test
    void aGroupSessionThatFailsTheSessionRuleForOnePersonWritesNothingForAnyone() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String assigned = RequestAccess.asServer(() -> create(new Patient()
                .addName(new HumanName().setFamily("Arquillian-assigned-" + UUID.randomUUID()))));
        String notAssigned = RequestAccess.asServer(() -> create(new Patient()
                .addName(new HumanName().setFamily("Arquillian-not-assigned-" + UUID.randomUUID()))));
        String peer = RequestAccess.asServer(this::peerSpecialist);
        String assigner = RequestAccess.asServer(() -> create(new Practitioner()
                .addName(new HumanName().setText("Dr. Arquillian"))));
        String plan = RequestAccess.asServer(() -> create(new CarePlan().setStatus(CarePlan.CarePlanStatus.ACTIVE)
                .setIntent(CarePlan.CarePlanIntent.PLAN).setSubject(new Reference(assigned)).setTitle("Recovery plan")));
        RequestAccess.asServer(() -> assignments.assign(plan.substring("CarePlan/".length()), new Reference(peer),
                new Reference(assigner), Date.from(now.minus(1, ChronoUnit.DAYS)), null));
        Date start = Date.from(now.minus(45, ChronoUnit.MINUTES));
        Date end = Date.from(now.minus(15, ChronoUnit.MINUTES));

        // the first person's Encounter and Procedure are written before the second person's Encounter fails
        assertThrows(UnprocessableEntityException.class, () -> RequestAccess.asServer(() ->
                sessions.record(note(List.of(assigned, notAssigned), peer, start, end))));

        assertEquals(0, sessionRecordsAbout(assigned), "the whole group session was one transaction, rolled back");
        assertEquals(0, sessionRecordsAbout(notAssigned));
        // the same session for the assigned person alone is written: the rule, not the setup, refused the group
        List<IBaseResource> written = RequestAccess.asServer(() ->
                sessions.record(note(List.of(assigned), peer, start, end)));
        assertEquals(2, written.size(), "an Encounter and its Procedure");
        assertEquals(2, sessionRecordsAbout(assigned));
    }

    private String create(IBaseResource resource) {
        WriteResult written = pipeline.create(resource, Optional.empty());
        return written.type() + "/" + written.id();
    }

    /** An active peer specialist role (NUCC 175T00000X) with its own Practitioner and Organization. */
    private String peerSpecialist() {
        PractitionerRole role = new PractitionerRole().setActive(true)
                .setPractitioner(new Reference(create(new Practitioner()
                        .addName(new HumanName().setText("Peer " + UUID.randomUUID())))))
                .setOrganization(new Reference(create(new Organization()
                        .setName("Harbor Recovery " + UUID.randomUUID()))));
        role.addCode().addCoding(new Coding(MentorshipCodes.NUCC, MentorshipCodes.PEER_SPECIALIST, null));
        return create(role);
    }

    private static SessionService.SessionNote note(List<String> patients, String peer, Date start, Date end) {
        return new SessionService.SessionNote(patients.stream().map(Reference::new).toList(), new Reference(peer),
                start, end, SessionService.Modality.IN_PERSON, null,
                List.of(new Coding(MentorshipCodes.FOCUS_AREA, "cravings", null)), List.of(),
                "Talked through weekend cravings", "Said it helped", "Check in Friday", null);
    }

    /** Encounters and Procedures in the database, current rows and versions, whose content names the patient. */
    private static long sessionRecordsAbout(String patient) throws NamingException, SQLException {
        String about = "%\"" + patient + "\"%";
        long current = count("SELECT COUNT(*) FROM res WHERE res_type IN ('Encounter', 'Procedure') AND content LIKE ?",
                about);
        long versions = count("SELECT COUNT(*) FROM res_version WHERE res_type IN ('Encounter', 'Procedure') "
                + "AND content LIKE ?", about);
        assertEquals(current, versions, "one version per record written once");
        return current;
    }

    private static long count(String sql, Object... parameters) throws NamingException, SQLException {
        DataSource database = InitialContext.doLookup("jdbc/alongside");
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
