package org.clubanonymiser.eligibility;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.clubanonymiser.testsupport.H2Database;
import org.clubanonymiser.testsupport.PostgresDatabase;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plans of the export's and the import's queries, on H2 and PostgreSQL, over a demo base of
 * {@code -Dbenchmark.plan.members} members (default 5,000: millions of activity rows need not be seeded to show
 * which index each subquery probes). Writes {@code target/benchmark-plans-<db>.txt} (quoted in benchmarks/RESULTS.md).
 * Run with {@code -Pbenchmarks -Dbenchmark.heap=1g -Dtest=EligibilityPlanBenchmarkTests} (H2 is in memory here).
 */
@Tag("benchmark")
class EligibilityPlanBenchmarkTests {

    private static final String AS_OF = "2026-11-29";

    private static final String CUTOFF = "2023-11-29";

    abstract static class Plans {

        @Autowired
        JobOperator jobOperator;

        @Autowired
        @Qualifier("demoDataJob")
        Job demoDataJob;

        @Autowired
        JdbcTemplate jdbc;

        abstract String database();

        abstract String explain();

        @Test
        void explainsTheExportAndImportQueries() throws Exception {
            String members = System.getProperty("benchmark.plan.members", "5000");
            assertThat(jobOperator.start(demoDataJob, new JobParametersBuilder().addString("members", members)
                .addString("clubs", "1").addString("seed", "42").addString("asOf", AS_OF).toJobParameters())
                .getStatus()).isEqualTo(BatchStatus.COMPLETED);
            jdbc.update("""
                    insert into anonymisation_export (id, name, club_id, inactivity_months, as_of, cutoff,
                        requested_by, status, format_version, created_at)
                    values (900, 'plans', 1, 36, ?, ?, 'admin.multi', 'RUNNING', 1, ?)""",
                    Date.valueOf(AS_OF), Date.valueOf(CUTOFF), Timestamp.valueOf(AS_OF + " 00:00:00"));
            jdbc.update("""
                    insert into anonymisation_export_member (export_id, member_id, member_number, last_name,
                        first_name, status)
                    select 900, m.id, m.member_number, m.last_name, m.first_name, m.status from member m
                    where m.club_id = 1 and m.status <> 'CLIENT'""");
            jdbc.execute("analyze");
            long middle = jdbc.queryForObject("select min(id) + (max(id) - min(id)) / 2 from member", Long.class);
            String cutoff = "timestamp '" + CUTOFF + " 00:00:00'";
            String predicate = EligibilitySql.ELIGIBLE_PREDICATE.replace(":cutoffDate", "date '" + CUTOFF + "'")
                .replace(":cutoff", cutoff);

            List<String> out = new ArrayList<>();
            plan(out, "Export reader: one keyset page of a club's members with their activity (exportMemberReader)",
                    "select " + EligibilitySql.MEMBER_ACTIVITY_COLUMNS + " from member m where m.club_id = 1 and m.id > "
                            + middle + " order by m.club_id, m.id fetch first 1000 rows only");
            plan(out, "Workbook reader: one keyset page of the manifest (exportWorkbookRowReader)",
                    "select member_id, member_number, last_name, first_name from anonymisation_export_member"
                            + " where export_id = 900 and member_id > " + middle
                            + " order by export_id, member_id fetch first 1000 rows only");
            plan(out, "Workbook reader before the fix: order by member_id alone (the framework's provider)",
                    "select member_id, member_number, last_name, first_name from anonymisation_export_member"
                            + " where export_id = 900 and member_id > " + middle
                            + " order by member_id fetch first 1000 rows only");
            plan(out, "Import: the anonymising UPDATE's eligibility re-check, as a SELECT (one member)",
                    "select m.id from member m where m.id = " + middle + " and m.club_id = 1 and " + predicate);
            Path file = Path.of("target", "benchmark-plans-" + database() + ".txt");
            Files.write(file, out);
            assertThat(out).isNotEmpty();
        }

        private void plan(List<String> out, String title, String sql) {
            out.add("### " + title);
            out.add("");
            out.add("```");
            jdbc.query(explain() + " " + sql, rs -> {
                out.add(rs.getString(1));
            });
            out.add("```");
            out.add("");
        }
    }

    @Nested
    @H2Database
    class OnH2 extends Plans {

        @Override
        String database() {
            return "h2";
        }

        @Override
        String explain() {
            return "explain analyze";
        }
    }

    @Nested
    @PostgresDatabase
    class OnPostgres extends Plans {

        @Override
        String database() {
            return "postgresql";
        }

        @Override
        String explain() {
            return "explain (analyze, costs off, timing off)";
        }
    }
}
