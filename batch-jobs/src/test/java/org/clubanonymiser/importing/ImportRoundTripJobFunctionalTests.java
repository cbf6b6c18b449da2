package org.clubanonymiser.importing;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipInputStream;

import org.clubanonymiser.support.storage.StorageLayout;
import org.clubanonymiser.testsupport.H2Database;
import org.clubanonymiser.testsupport.LibreOffice;
import org.clubanonymiser.testsupport.OracleModeDatabase;
import org.clubanonymiser.testsupport.PostgresDatabase;
import org.clubanonymiser.testsupport.Rows;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The product's whole workflow with every real part: {@code demoDataJob} seeds a member base, {@code exportJob}
 * exports a club's members inactive for 36 months, LibreOffice Calc opens and re-saves the workbook (the admin's
 * review), {@code importJob} anonymises them. Checks the plan's effect on every table, and that nothing else changed.
 */
class ImportRoundTripJobFunctionalTests {

    private static final String AS_OF = "2026-11-29";

    private static final String ADMIN = "admin.multi";

    abstract static class RoundTrip {

        @Autowired
        JobOperator jobOperator;

        @Autowired
        @Qualifier("demoDataJob")
        Job demoDataJob;

        @Autowired
        @Qualifier("exportJob")
        Job exportJob;

        @Autowired
        @Qualifier("importJob")
        Job importJob;

        @Autowired
        JdbcTemplate jdbc;

        @Autowired
        StorageLayout storage;

        @Test
        void demoDataExportedResavedByLibreOfficeAndImportedIsAnonymisedExactly() throws Exception {
            LibreOffice.require();
            assertThat(jobOperator.start(demoDataJob, new JobParametersBuilder().addString("members", "600")
                .addString("clubs", "2").addString("seed", "7").addString("asOf", AS_OF).toJobParameters())
                .getStatus()).isEqualTo(BatchStatus.COMPLETED);

            JobExecution export = jobOperator.start(exportJob, new JobParametersBuilder().addString("clubId", "1")
                .addString("inactivityMonths", "36").addString("exportName", "Round trip")
                .addString("requestedBy", ADMIN).addString("asOf", AS_OF).toJobParameters());
            assertThat(export.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            Map<String, Object> record = Rows.map(jdbc,
                    "select id, file_name, row_count, cutoff from anonymisation_export where name = 'Round trip'");
            long exportId = ((Number) record.get("id")).longValue();
            List<Long> exported = jdbc.queryForList(
                    "select member_id from anonymisation_export_member where export_id = ? order by member_id",
                    Long.class, exportId);
            assertThat(exported).hasSize(((Number) record.get("row_count")).intValue()).isNotEmpty();
            // The export holds exactly who the shared SQL predicate calls eligible in club 1, at the same cutoff.
            assertThat(exported).isEqualTo(jdbc.queryForList("""
                    select m.id from member m where m.club_id = 1 and m.status in ('PROSPECT', 'FORMER_CLIENT')
                      and m.anonymised_at is null and m.created_at < ?
                      and coalesce((select a.balance from member_account a where a.member_id = m.id), 0) = 0
                      and not exists (select 1 from visit v where v.member_id = m.id and v.visited_at >= ?)
                      and not exists (select 1 from booking b where b.member_id = m.id
                                      and (b.booked_at >= ? or b.starts_at >= ?))
                      and not exists (select 1 from purchase p where p.member_id = m.id and p.purchased_at >= ?)
                      and not exists (select 1 from instalment i where i.member_id = m.id and i.due_date >= ?)
                    order by m.id""", Long.class, cutoffArgs(record.get("cutoff"))));

            Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "round-trip")), "rt-");
            Path workbook = unzip(exportZip((String) record.get("file_name")), work);
            Path reviewed = LibreOffice.resave(workbook, work);

            List<Long> others = jdbc.queryForList("select id from member where id not in (select member_id from"
                    + " anonymisation_export_member where export_id = ?) order by id", Long.class, exportId);
            var othersBefore = MemberTables.of(jdbc, others);
            Map<String, Long> retainedBefore = retainedCounts();
            long ledgerBefore = MemberTables.count(jdbc, "anonymisation_ledger");

            JobExecution imported = jobOperator.start(importJob, ImportJobParameters.of(reviewed, ADMIN));

            assertThat(imported.getStatus()).as(imported.getExitStatus().getExitDescription())
                .isEqualTo(BatchStatus.COMPLETED);
            assertThat(imported.getExitStatus().getExitCode()).isEqualTo("COMPLETED");
            long importId = jdbc.queryForObject("select id from anonymisation_import where export_id = ?", Long.class,
                    exportId);
            assertThat(Rows.map(jdbc, """
                    select status, rows_read, members_anonymised, rows_rejected, error_file
                    from anonymisation_import where id = ?""", importId))
                .containsEntry("STATUS", "COMPLETED")
                .containsEntry("ROWS_READ", (long) exported.size())
                .containsEntry("MEMBERS_ANONYMISED", (long) exported.size())
                .containsEntry("ROWS_REJECTED", 0L);

            for (long memberId : exported) {
                assertAnonymised(memberId, importId);
            }
            assertThat(MemberTables.count(jdbc, "anonymisation_ledger") - ledgerBefore).isEqualTo(exported.size());
            assertThat(MemberTables.of(jdbc, others)).as("members not exported are untouched")
                .isEqualTo(othersBefore);
            assertThat(retainedCounts()).as("visits, bookings, purchases, instalments, invoices are kept")
                .isEqualTo(retainedBefore);

            // The export's file is gone and its manifest keeps member ids only.
            assertThat(exportZip((String) record.get("file_name"))).doesNotExist();
            assertThat(jdbc.queryForObject("""
                    select count(*) from anonymisation_export_member where export_id = ?
                      and (member_number is not null or last_name is not null or first_name is not null
                           or fingerprint is not null)""", Long.class, exportId)).isZero();

            // Running it again changes nothing: the same launch is a completed job instance, and the same export
            // re-saved once more is refused as already imported.
            var everything = MemberTables.all(jdbc);
            assertThatExceptionOfType(JobInstanceAlreadyCompleteException.class)
                .isThrownBy(() -> jobOperator.start(importJob, ImportJobParameters.of(reviewed, ADMIN)));
            JobExecution again = jobOperator.start(importJob,
                    ImportJobParameters.of(LibreOffice.resave(reviewed, work), ADMIN));
            assertThat(again.getStatus()).isEqualTo(BatchStatus.FAILED);
            assertThat(again.getExitStatus().getExitCode()).contains("EXPORT_ALREADY_IMPORTED");
            assertThat(MemberTables.all(jdbc)).isEqualTo(everything);
        }

        private Object[] cutoffArgs(Object cutoff) {
            // A DATE column: java.sql.Date on H2 and PostgreSQL, a Timestamp on Oracle (its DATE has a time).
            LocalDate date = cutoff instanceof Date sql ? sql.toLocalDate()
                    : cutoff instanceof Timestamp stamp ? stamp.toLocalDateTime().toLocalDate() : (LocalDate) cutoff;
            Timestamp start = Timestamp.valueOf(date.atStartOfDay());
            return new Object[] { start, start, start, start, start, Date.valueOf(date) };
        }

        private Path exportZip(String fileName) {
            return storage.exportsDir().resolve(fileName);
        }

        private static Path unzip(Path zip, Path work) throws Exception {
            try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
                var entry = entries.getNextEntry();
                Path workbook = work.resolve(entry.getName());
                Files.copy(entries, workbook, StandardCopyOption.REPLACE_EXISTING);
                return workbook;
            }
        }

        private Map<String, Long> retainedCounts() {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (String table : MemberTables.RETAINED) {
                counts.put(table, MemberTables.count(jdbc, table));
            }
            return counts;
        }

        private void assertAnonymised(long memberId, long importId) {
            assertThat(Rows.map(jdbc, """
                    select first_name, last_name, email, birth_date, notes, status, sales_blocked, bookings_blocked,
                           case when anonymised_at is null then 0 else 1 end as stamped
                    from member where id = ?""", memberId))
                .containsEntry("FIRST_NAME", "No").containsEntry("LAST_NAME", "No")
                .containsEntry("EMAIL", null).containsEntry("BIRTH_DATE", null).containsEntry("NOTES", null)
                .containsEntry("STATUS", "ANONYMISED").containsEntry("SALES_BLOCKED", true)
                .containsEntry("BOOKINGS_BLOCKED", true);
            assertThat(jdbc.queryForList("""
                    select line1, line2, postcode, city, country from member_address where member_id = ?""",
                    memberId)).allSatisfy(address -> assertThat(address.values()).containsOnlyNulls());
            assertThat(jdbc.queryForObject("select count(*) from member_phone where member_id = ?", Long.class,
                    memberId)).isZero();
            assertThat(jdbc.queryForObject("select count(*) from member_consent where member_id = ? and granted = ?",
                    Long.class, memberId, true)).isZero();
            assertThat(jdbc.queryForObject("""
                    select count(*) from badge b where b.member_id = ? and (b.status <> 'RETIRED'
                      or not exists (select 1 from retired_badge_number r where r.badge_number = b.badge_number))""",
                    Long.class, memberId)).isZero();
            assertThat(jdbc.queryForObject(
                    "select count(*) from anonymisation_ledger where member_id = ? and import_id = ?", Long.class,
                    memberId, importId)).isOne();
        }
    }

    @Nested
    @H2Database
    @TestPropertySource(properties = "anonymiser.test.context=round-trip")
    class OnH2 extends RoundTrip {
    }

    @Nested
    @PostgresDatabase
    @TestPropertySource(properties = "anonymiser.test.context=round-trip")
    class OnPostgres extends RoundTrip {
    }

    @Nested
    @OracleModeDatabase
    @TestPropertySource(properties = "anonymiser.test.context=round-trip")
    class OnOracleMode extends RoundTrip {
    }
}
