package org.alongside.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import org.alongside.health.DatabaseOutage;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;

class ErrorMaskingTest {

    @Test
    void incidentLogNamesClassesAndLocationsButNeverMessages() {
        Exception cause = new SQLException("Value too long for column: 'Maria Lopez, born 1990-04-12'", "22001");
        Exception top = new IllegalStateException("while storing Patient Maria Lopez", cause);

        String logged = ErrorMasking.describeWithoutMessages(top);

        assertThat(logged).contains(IllegalStateException.class.getName(), SQLException.class.getName(), "at ");
        assertThat(logged).doesNotContain("Maria", "1990", "Lopez");
    }

    @Test
    void aDatabaseThatCannotBeReachedIsA503WithRetryAfterAndATransientOutcome() {
        List<Throwable> outages = List.of(
                new SQLException("An I/O error occurred while sending to the backend.", "08006"),
                new SQLException("Connection attempt failed.", "08001"),
                new SQLTransientConnectionException("pool: no connection within 30 s"),
                new SQLNonTransientConnectionException("closed"),
                new SQLException("terminating connection due to administrator command", "57P01"));
        for (Throwable outage : outages) {
            // as it arrives: wrapped by the transaction interceptor and by HAPI
            Throwable wrapped = new InternalErrorException("failure", new IllegalStateException("tx", outage));
            BaseServerResponseException answer = new ErrorMasking(DatabaseOutage::isOutage).mask(request(), wrapped);
            assertThat(answer.getStatusCode()).as(outage.toString()).isEqualTo(503);
            assertThat(answer.getResponseHeaders()).containsEntry("Retry-After", List.of("10"));
            OperationOutcome outcome = (OperationOutcome) answer.getOperationOutcome();
            assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.TRANSIENT);
            assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("temporarily unavailable")
                    .doesNotContain("backend", "pool");
        }
    }

    @Test
    void otherDatabaseFailuresKeepTheirAnswers() {
        assertThat(new ErrorMasking(DatabaseOutage::isOutage).mask(request(), new IllegalStateException(
                new SQLException("duplicate key", "23505"))).getStatusCode()).isEqualTo(409);
        assertThat(new ErrorMasking(DatabaseOutage::isOutage).mask(request(), new IllegalStateException(
                new SQLException("syntax error", "42601"))).getStatusCode()).isEqualTo(500);
    }

    private static RequestDetails request() {
        SystemRequestDetails request = new SystemRequestDetails();
        request.setRequestType(RequestTypeEnum.GET);
        request.setRequestPath("Patient");
        return request;
    }
}
