package org.clubanonymiser.support.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.clubanonymiser.testsupport.TestDatabases;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class DatabasePlatformTests {

    @Test
    void recognisesTheSupportedDatabases() {
        assertThat(DatabasePlatform.fromProduct("H2", "REGULAR")).isEqualTo(DatabasePlatform.H2);
        assertThat(DatabasePlatform.fromProduct("PostgreSQL", null)).isEqualTo(DatabasePlatform.POSTGRESQL);
        assertThat(DatabasePlatform.fromProduct("Oracle", null)).isEqualTo(DatabasePlatform.ORACLE);
        assertThat(DatabasePlatform.ORACLE.migrationFolder()).isEqualTo("oracle");
        assertThat(DatabasePlatform.POSTGRESQL.migrationFolder()).isEqualTo(DatabasePlatform.H2.migrationFolder());
    }

    @Test
    void h2SpeaksOracleInItsOracleModeOnlyAndItsOwnSqlInEveryOtherMode() {
        assertThat(DatabasePlatform.fromProduct("H2", "Oracle")).isEqualTo(DatabasePlatform.ORACLE);
        assertThat(DatabasePlatform.fromProduct("H2", "ORACLE")).isEqualTo(DatabasePlatform.ORACLE);
        assertThat(DatabasePlatform.fromProduct("H2", "PostgreSQL")).isEqualTo(DatabasePlatform.H2);
        assertThat(DatabasePlatform.fromProduct("H2", "MySQL")).isEqualTo(DatabasePlatform.H2);
        assertThat(DatabasePlatform.fromProduct("H2", null)).isEqualTo(DatabasePlatform.H2);
    }

    @Test
    void readsH2sModeFromTheDatabaseItself() throws SQLException {
        try (Connection regular = DriverManager.getConnection(TestDatabases.newH2Url(), "sa", "");
                Connection oracle = DriverManager.getConnection(TestDatabases.newOracleModeUrl(), "sa", "")) {
            assertThat(DatabasePlatform.of(regular)).isEqualTo(DatabasePlatform.H2);
            assertThat(DatabasePlatform.of(oracle)).isEqualTo(DatabasePlatform.ORACLE);
            assertThat(DatabasePlatform.runsOnH2(oracle)).isTrue();
            // The mode can change on a live connection: each call reads it again.
            oracle.createStatement().execute("set mode regular");
            assertThat(DatabasePlatform.of(oracle)).isEqualTo(DatabasePlatform.H2);
        }
    }

    @Test
    void theTriggerFolderFollowsTheEngineTheTablesFollowTheDialect() throws SQLException {
        assertThat(DatabasePlatform.H2.migrationFolders(true)).containsExactly("common", "h2");
        assertThat(DatabasePlatform.POSTGRESQL.migrationFolders(false)).containsExactly("common", "postgresql");
        assertThat(DatabasePlatform.ORACLE.migrationFolders(false)).containsExactly("oracle", "oracle-plsql");
        try (Connection oracleMode = DriverManager.getConnection(TestDatabases.newOracleModeUrl(), "sa", "")) {
            // PL/SQL cannot run on H2: the Oracle leg installs H2's Java trigger beside the Oracle tables.
            assertThat(DatabasePlatform.migrationFolders(oracleMode)).containsExactly("oracle", "h2");
        }
    }

    @Test
    void refusesOthers() {
        assertThatIllegalStateException().isThrownBy(() -> DatabasePlatform.fromProduct("MySQL", null))
            .withMessageContaining("MySQL");
    }
}
