package org.clubanonymiser.support.database;

import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class DatabasePlatformTests {

    @Test
    void recognisesTheSupportedDatabases() {
        assertThat(DatabasePlatform.fromProductName("H2")).isEqualTo(DatabasePlatform.H2);
        assertThat(DatabasePlatform.fromProductName("PostgreSQL")).isEqualTo(DatabasePlatform.POSTGRESQL);
        assertThat(DatabasePlatform.fromProductName("Oracle")).isEqualTo(DatabasePlatform.ORACLE);
        assertThat(DatabasePlatform.ORACLE.migrationFolder()).isEqualTo("oracle");
        assertThat(DatabasePlatform.POSTGRESQL.migrationFolder()).isEqualTo(DatabasePlatform.H2.migrationFolder());
    }

    @Test
    void refusesOthers() {
        assertThatIllegalStateException().isThrownBy(() -> DatabasePlatform.fromProductName("MySQL"))
            .withMessageContaining("MySQL");
    }
}
