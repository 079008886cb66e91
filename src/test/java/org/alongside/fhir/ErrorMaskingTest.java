package org.alongside.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
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
}
