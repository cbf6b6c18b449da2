package org.clubanonymiser.support;

import java.util.List;

import org.clubanonymiser.testsupport.H2Database;
import org.clubanonymiser.testsupport.OracleModeDatabase;
import org.clubanonymiser.testsupport.PostgresDatabase;
import org.clubanonymiser.testsupport.Rows;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.exception.FlywayValidateException;

import org.clubanonymiser.support.database.ReleasedMigrationEdits;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reference schema, the product's tables and Spring Batch's, applied by Flyway on H2 and PostgreSQL. */
class SchemaMigrationTests {

    static final List<String> CONTRACT_TABLES = List.of("club", "app_user", "app_user_club", "member",
            "member_address", "member_phone", "member_consent", "member_account", "badge", "visit", "booking",
            "purchase", "instalment", "invoice", "anonymisation_ledger", "anonymisation_export",
            "anonymisation_export_member", "anonymisation_import", "anonymisation_import_rejection",
            "batch_job_instance", "batch_job_execution", "batch_step_execution", "batch_job_execution_context");

    abstract static class Contract {

        @Autowired
        JdbcTemplate jdbc;

        @Autowired
        Flyway flyway;

        @Test
        void everyContractTableExistsAndIsQueryable() {
            for (String table : CONTRACT_TABLES) {
                assertThat(jdbc.queryForObject("select count(*) from " + table, Long.class)).as(table).isNotNull();
            }
        }

        @Test
        void allMigrationsAppliedAndASecondMigrateChangesNothing() {
            // Every feature adds its own migrations: all of them, whatever their number, must be applied.
            assertThat(flyway.info().applied()).hasSameSizeAs(flyway.info().all()).hasSizeGreaterThan(3);
            assertThat(flyway.info().pending()).isEmpty();
            assertThat(flyway.migrate().migrationsExecuted).isZero();
        }

        /**
         * A database migrated with a released text of a migration later edited in its comments only starts (its
         * checksum realigned); a real edit of an applied migration still stops the start-up.
         */
        @Test
        void aCommentOnlyEditOfAReleasedMigrationIsAcceptedAndNothingElse() {
            Integer current = checksumOf("1");
            try {
                int released = ReleasedMigrationEdits.RELEASED_CHECKSUMS.get("1").iterator().next();
                setChecksum("1", released);
                new ReleasedMigrationEdits().migrate(flyway);
                assertThat(checksumOf("1")).isEqualTo(current);

                setChecksum("1", 12345);
                assertThatThrownBy(() -> new ReleasedMigrationEdits().migrate(flyway))
                    .isInstanceOf(FlywayValidateException.class)
                    .hasMessageContaining("checksum mismatch");
                assertThat(checksumOf("1")).isEqualTo(12345);
            }
            finally {
                setChecksum("1", current);
            }
            assertThat(flyway.validateWithResult().validationSuccessful).isTrue();
        }

        // Flyway's own table: created with quoted lower-case names on every database.
        Integer checksumOf(String version) {
            return jdbc.queryForObject("select \"checksum\" from \"flyway_schema_history\" where \"version\" = ?",
                    Integer.class, version);
        }

        void setChecksum(String version, int checksum) {
            assertThat(jdbc.update("update \"flyway_schema_history\" set \"checksum\" = ? where \"version\" = ?",
                    checksum, version)).isOne();
        }

        @Test
        void memberColumnsMatchTheContract() {
            jdbc.update("insert into club (id, code, name) values (900, 'C900', 'Club')");
            jdbc.update("""
                    insert into member (id, member_number, club_id, status, first_name, last_name, created_at,
                        sales_blocked, bookings_blocked)
                    values (900, 'M900', 900, 'PROSPECT', 'A', 'B', current_timestamp, false, false)""");
            assertThat(Rows.map(jdbc, """
                    select email, birth_date, notes, anonymised_at from member where id = 900""").values())
                .containsOnlyNulls();
            assertThat(jdbc.update("delete from member where id = 900")).isOne();
            jdbc.update("delete from club where id = 900");
        }
    }

    @Nested
    @H2Database
    class OnH2 extends Contract {
    }

    @Nested
    @PostgresDatabase
    class OnPostgres extends Contract {
    }

    @Nested
    @OracleModeDatabase
    class OnOracleMode extends Contract {
    }
}
