package org.alongside.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class DatabaseOutageTest {

    /** Stands for Liberty's com.ibm.websphere.ce.cm.ConnectionWaitTimeoutException, which the tests cannot load. */
    static final class ConnectionWaitTimeoutException extends SQLTransientConnectionException {
        ConnectionWaitTimeoutException() {
            super("J2CA0045E");
        }
    }

    @Test
    void aLostConnectionMeansTheDatabaseCannotBeReached() {
        RuntimeException lost = new IllegalStateException(new SQLException("I/O error", "08006"));
        assertThat(DatabaseOutage.isOutage(lost)).isTrue();
        assertThat(DatabaseOutage.isUnreachable(lost)).isTrue();
    }

    @Test
    void aPoolWithoutAFreeConnectionIsAnOutageButNotAnUnreachableDatabase() {
        RuntimeException busy = new IllegalStateException(new ConnectionWaitTimeoutException());
        assertThat(DatabaseOutage.isOutage(busy)).as("answered 503").isTrue();
        assertThat(DatabaseOutage.isUnreachable(busy)).isFalse();
    }

    @Test
    void otherFailuresAreNeither() {
        RuntimeException constraint = new IllegalStateException(new SQLException("duplicate key", "23505"));
        assertThat(DatabaseOutage.isOutage(constraint)).isFalse();
        assertThat(DatabaseOutage.isUnreachable(constraint)).isFalse();
    }
}
