package org.alongside.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.alongside.bench.ProfileCategories.Category;
import org.junit.jupiter.api.Test;

class ProfileCategoriesTest {

    private static final String AUDIT_FILTER = "org.alongside.audit.AuditFilter.doFilter";
    private static final String BEARER_FILTER = "org.alongside.security.BearerAuthentication.doFilter";

    @Test
    void theAuditsOwnSqlCountsAsAudit() {
        assertEquals(Category.AUDIT, ProfileCategories.of(List.of("org.postgresql.core.v3.QueryExecutorImpl.execute",
                "org.hibernate.engine.jdbc.batch.internal.BatchImpl.execute",
                "org.alongside.persistence.JpaAuditStore.append", "org.alongside.audit.AuditTrail.completed",
                AUDIT_FILTER)));
    }

    @Test
    void theFiltersEveryRequestPassesThroughNameNothing() {
        assertEquals(Category.OTHER, ProfileCategories.of(List.of("com.ibm.ws.http.channel.internal.HttpServiceContextImpl.send",
                "ca.uhn.fhir.rest.server.RestfulServer.handleRequest", BEARER_FILTER, AUDIT_FILTER)));
    }

    @Test
    void signatureCheckingInsideTheVerifierIsTheTokenCheck() {
        assertEquals(Category.TOKEN, ProfileCategories.of(List.of("sun.security.rsa.RSACore.crtCrypt",
                "org.alongside.security.TokenVerifier.verify", BEARER_FILTER, AUDIT_FILTER)));
    }

    @Test
    void theInnermostAlongsideFrameDecidesBetweenAccessAndTheStore() {
        assertEquals(Category.ACCESS, ProfileCategories.of(List.of("org.postgresql.jdbc.PgStatement.executeQuery",
                "org.alongside.security.AccessGuard.careRelationships", "org.alongside.interaction.InteractionPipeline.read",
                BEARER_FILTER, AUDIT_FILTER)));
        assertEquals(Category.SQL, ProfileCategories.of(List.of("org.postgresql.jdbc.PgStatement.executeQuery",
                "org.alongside.persistence.JpaResourceStore.read", "org.alongside.interaction.InteractionPipeline.read",
                "org.alongside.security.CallerRecordAccess.asServer", BEARER_FILTER, AUDIT_FILTER)));
    }

    @Test
    void aFlushAtCommitCountsAsCommitAndParsingAsParsing() {
        assertEquals(Category.COMMIT, ProfileCategories.of(List.of("org.hibernate.internal.SessionImpl.flush",
                "com.ibm.tx.jta.impl.TransactionImpl.prepareResources", "com.ibm.tx.jta.impl.TransactionImpl.commit",
                "org.alongside.fhir.ResourceTypeProvider.create", AUDIT_FILTER)));
        assertEquals(Category.PARSING, ProfileCategories.of(List.of("ca.uhn.fhir.parser.JsonParser.encodeResourceToWriter",
                "ca.uhn.fhir.rest.server.RestfulServerUtils.streamResponseAsResource", AUDIT_FILTER)));
        assertEquals(Category.VALIDATION, ProfileCategories.of(List.of("org.hl7.fhir.validation.instance.InstanceValidator.validate",
                "org.alongside.conformance.ProfileValidator.validate", "org.alongside.interaction.InteractionPipeline.create")));
    }
}
