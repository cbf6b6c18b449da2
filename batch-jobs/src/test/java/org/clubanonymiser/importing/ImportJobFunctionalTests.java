package org.clubanonymiser.importing;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.clubanonymiser.support.StorageLayout;
import org.clubanonymiser.testsupport.H2Database;
import org.clubanonymiser.testsupport.PostgresDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code importJob} end to end, on H2 and on PostgreSQL. */
class ImportJobFunctionalTests {

    @TestPropertySource(properties = "anonymiser.import.chunk-size=5")
    abstract static class Scenarios {

        @Autowired
        JdbcTemplate jdbc;

        @Autowired
        StorageLayout storage;

        @Autowired
        JobOperator jobOperator;

        @Autowired
        JobRepository jobRepository;

        @Autowired
        @Qualifier("importJob")
        Job importJob;

        @TempDir
        Path work;

        ExportFixtures fixtures;

        JobOperatorTestUtils launcher;

        @BeforeEach
        void setUp() {
            fixtures = new ExportFixtures(jdbc, storage, work);
            fixtures.clean();
            fixtures.standardClubs();
            launcher = new JobOperatorTestUtils(jobOperator, jobRepository);
            launcher.setJob(importJob);
        }

        JobExecution importFile(Path file) throws Exception {
            return launcher.startJob(ImportJobParameters.of(file, ExportFixtures.ADMIN));
        }

        StepExecution step(JobExecution execution, String name) {
            return execution.getStepExecutions().stream().filter(s -> s.getStepName().equals(name)).findFirst()
                .orElseThrow();
        }

        Map<String, Object> importRecord() {
            return jdbc.queryForMap("select * from anonymisation_import");
        }

        @Test
        void anonymisesEveryExportedMemberOfAPoiResavedFile() throws Exception {
            List<Long> exported = LongStream.rangeClosed(101, 112).boxed().toList();
            exported.forEach(id -> fixtures.eligibleMember(id, 1));
            fixtures.member(201, 1, "CLIENT", java.math.BigDecimal.ZERO);
            fixtures.eligibleMember(203, 1);
            fixtures.eligibleMember(301, 2);
            ExportFixtures.Export export = fixtures.export(1, exported);
            var untouchedBefore = MemberTables.of(jdbc, List.of(201L, 203L, 301L));

            JobExecution execution = importFile(fixtures.resaveWithPoi(export.workbook()));

            assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(execution.getExitStatus().getExitCode()).isEqualTo("COMPLETED");
            assertThat(MemberTables.of(jdbc, List.of(201L, 203L, 301L))).isEqualTo(untouchedBefore);
            assertThat(MemberTables.count(jdbc, "anonymisation_ledger")).isEqualTo(12);
        }
    }

    @Nested
    @H2Database
    class OnH2 extends Scenarios {
    }

    @Nested
    @PostgresDatabase
    class OnPostgres extends Scenarios {
    }
}
