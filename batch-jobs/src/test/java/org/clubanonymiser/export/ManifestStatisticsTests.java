package org.clubanonymiser.export;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.clubanonymiser.support.database.DatabasePlatform;
import org.clubanonymiser.testsupport.H2Database;
import org.clubanonymiser.testsupport.OracleModeDatabase;
import org.clubanonymiser.testsupport.PostgresDatabase;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ManifestStatistics}: on PostgreSQL an export's fresh manifest rows are analysed before the workbook reads
 * them (once: a second pass finds the statistics fresh); on H2 and H2's Oracle mode nothing runs.
 */
class ManifestStatisticsTests {

    abstract static class Contract {

        @Autowired
        JdbcTemplate jdbc;

        @Autowired
        DataSource dataSource;

        @Autowired
        ExportManifest manifest;

        /** An export whose manifest holds more rows than a tenth of the whole table as last analysed, plus 50. */
        long exportWithFreshRows() {
            ExportTestData data = ExportTestData.next(jdbc);
            long clubId = data.club(1);
            jdbc.update("""
                    insert into anonymisation_export (name, club_id, inactivity_months, as_of, cutoff, requested_by,
                        status, members_scanned, members_eligible, format_version, created_at)
                    values (?, ?, 36, ?, ?, 'tester', 'RUNNING', 0, 0, 1, ?)""", "Statistics " + clubId, clubId,
                    LocalDate.of(2026, 11, 29), LocalDate.of(2023, 11, 29), Timestamp.valueOf(LocalDateTime.now()));
            long exportId = jdbc.queryForObject("select max(id) from anonymisation_export where club_id = ?",
                    Long.class, clubId);
            long table = jdbc.queryForObject("select count(*) from anonymisation_export_member", Long.class);
            int rows = (int) (table / 5 + 100);
            List<Object[]> members = new ArrayList<>();
            for (int i = 1; i <= rows; i++) {
                members.add(new Object[] { exportId, data.id(i) });
            }
            jdbc.batchUpdate("insert into anonymisation_export_member (export_id, member_id) values (?, ?)", members);
            return exportId;
        }

        ManifestStatistics statistics(long exportId) {
            return new ManifestStatistics(jdbc, DatabasePlatform.of(dataSource), manifest, exportId);
        }
    }

    @Nested
    @PostgresDatabase
    class OnPostgres extends Contract {

        @Test
        void analysesTheManifestOnceWhenTheExportsRowsAreNewToThePlanner() {
            jdbc.execute("analyze anonymisation_export_member");
            long exportId = exportWithFreshRows();
            long rows = jdbc.queryForObject("select count(*) from anonymisation_export_member", Long.class);
            assertThat(reltuples()).as("the planner's row count before").isLessThan(rows);

            assertThat(statistics(exportId).refresh()).isTrue();

            // ANALYZE sets reltuples from its sample: every row of a table this small.
            assertThat(reltuples()).as("the planner's row count after").isEqualTo(rows);
            assertThat(jdbc.queryForObject("""
                    select count(*) from pg_stats where tablename = 'anonymisation_export_member'
                        and attname = 'export_id'""", Long.class)).isOne();
            assertThat(statistics(exportId).refresh()).as("fresh statistics: no second ANALYZE").isFalse();
        }

        private long reltuples() {
            return jdbc.queryForObject(
                    "select reltuples::bigint from pg_class where oid = 'anonymisation_export_member'::regclass",
                    Long.class);
        }
    }

    @Nested
    @H2Database
    class OnH2 extends Contract {

        @Test
        void doesNothing() {
            assertThat(statistics(exportWithFreshRows()).refresh()).isFalse();
        }
    }

    @Nested
    @OracleModeDatabase
    class OnOracleMode extends Contract {

        @Test
        void doesNothing() {
            assertThat(statistics(exportWithFreshRows()).refresh()).isFalse();
        }
    }
}
