package org.clubanonymiser.anonymisation;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.clubanonymiser.support.database.DatabasePlatform;
import org.clubanonymiser.testsupport.H2Database;
import org.clubanonymiser.testsupport.OracleModeDatabase;
import org.clubanonymiser.testsupport.PostgresDatabase;
import org.clubanonymiser.testsupport.TestDatabases;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link AnonymisationPlan} against the schema the migrations really build, read from the database's own
 * metadata on H2 and PostgreSQL: nothing unplanned today, and a migration that adds an unclassified column
 * ({@code member.instagram_handle}, a fixture under {@code src/test/resources/db/plan-fixture}, applied to a database
 * of this test only) is caught and named.
 */
class AnonymisationPlanSchemaTests {

    abstract static class Legs {

        @Autowired
        DataSource dataSource;

        abstract DriverManagerDataSource freshDatabase();

        @Test
        void everyColumnOfEveryMemberDataTableIsInThePlan() throws SQLException {
            assertThat(PlanSchemaCheck.gaps(dataSource, AnonymisationPlan.current())).isEmpty();
        }

        @Test
        void aMigrationAddingAnUnclassifiedColumnFailsTheCheckNamingIt() throws SQLException {
            DriverManagerDataSource database = freshDatabase();
            List<String> folders;
            try (var connection = database.getConnection()) {
                folders = DatabasePlatform.migrationFolders(connection);
            }
            List<String> locations = new ArrayList<>(folders.stream()
                .map(folder -> "classpath:db/migration/" + folder)
                .toList());
            locations.add("classpath:db/plan-fixture");
            Flyway.configure().dataSource(database).locations(locations.toArray(String[]::new)).load().migrate();

            assertThat(PlanSchemaCheck.gaps(database, AnonymisationPlan.current()))
                .containsExactly("member.instagram_handle");
        }
    }

    @Nested
    @H2Database
    class OnH2 extends Legs {

        @Override
        DriverManagerDataSource freshDatabase() {
            return new DriverManagerDataSource(TestDatabases.newH2Url(), "sa", "");
        }
    }

    @Nested
    @PostgresDatabase
    class OnPostgres extends Legs {

        @Override
        DriverManagerDataSource freshDatabase() {
            return new DriverManagerDataSource(TestDatabases.newPostgresDatabase(), "postgres", "");
        }
    }

    @Nested
    @OracleModeDatabase
    class OnOracleMode extends Legs {

        @Override
        DriverManagerDataSource freshDatabase() {
            return new DriverManagerDataSource(TestDatabases.newOracleModeUrl(), "sa", "");
        }
    }
}
