package org.clubanonymiser.export;

import java.util.function.Function;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.clubanonymiser.testsupport.H2Database;
import org.clubanonymiser.testsupport.OracleModeDatabase;
import org.clubanonymiser.testsupport.PostgresDatabase;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every refusal of an export launch: one clear message, before any job instance, execution or export record exists,
 * so that a corrected launch with the same identifying parameters is not blocked. On H2 and PostgreSQL.
 */
class ExportRefusalJobFunctionalTests {

    @Import(ExportTestConfiguration.class)
    @TestPropertySource(properties = { ExportJobFunctionalTests.CHUNK_SIZE, ExportJobFunctionalTests.WINDOW })
    abstract static class Contract {

        @Autowired
        JdbcTemplate jdbc;

        @Autowired
        JobOperator jobOperator;

        @Autowired
        Job exportJob;

        private ExportTestData data;

        private long club;

        private long otherClub;

        private String admin;

        private JobParameters valid(Function<JobParametersBuilder, JobParametersBuilder> change) {
            if (data == null) {
                data = ExportTestData.next(jdbc);
                club = data.club(1);
                otherClub = data.club(2);
                admin = data.user(1, "ADMIN", false, club);
                data.member(1, club).insert();
            }
            JobParametersBuilder builder = new JobParametersBuilder().addString("clubId", Long.toString(club))
                .addString("inactivityMonths", "36")
                .addString("exportName", "Refusals " + club)
                .addString("requestedBy", admin)
                .addString("asOf", "2026-03-31");
            return change.apply(builder).toJobParameters();
        }

        private void assertRefused(JobParameters parameters, String message) {
            long instances = count("batch_job_instance");
            long executions = count("batch_job_execution");
            long exports = count("anonymisation_export");
            assertThatExceptionOfType(InvalidJobParametersException.class)
                .isThrownBy(() -> jobOperator.start(exportJob, parameters))
                .withMessage(message);
            assertThat(count("batch_job_instance")).as("job instances").isEqualTo(instances);
            assertThat(count("batch_job_execution")).as("job executions").isEqualTo(executions);
            assertThat(count("anonymisation_export")).as("export records").isEqualTo(exports);
        }

        private long count(String table) {
            return jdbc.queryForObject("select count(*) from " + table, Long.class);
        }

        @Test
        void monthsOutsideTheAllowedSteps() {
            assertRefused(valid(b -> b.addString("inactivityMonths", "13")),
                    "inactivityMonths must be one of [12, 18, 24, 30, 36, 42, 48, 54, 60, 66, 72, 78, 84], got 13");
            assertRefused(valid(b -> b.addString("inactivityMonths", "6")),
                    "inactivityMonths must be one of [12, 18, 24, 30, 36, 42, 48, 54, 60, 66, 72, 78, 84], got 6");
            assertRefused(valid(b -> b.addString("inactivityMonths", "twelve")),
                    "inactivityMonths must be a whole number, got 'twelve'");
        }

        @Test
        void unknownClub() {
            valid(b -> b);
            long unknown = club + 999;
            assertRefused(valid(b -> b.addString("clubId", Long.toString(unknown))), "Unknown club " + unknown);
        }

        @Test
        void unknownUser() {
            assertRefused(valid(b -> b.addString("requestedBy", "nobody-" + club)), "Unknown user 'nobody-" + club
                    + "'");
        }

        @Test
        void userNeitherAdminNorGranted() {
            valid(b -> b);
            String staff = data.user(2, "STAFF", false, club);
            assertRefused(valid(b -> b.addString("requestedBy", staff)), "User '" + staff
                    + "' may not run a mass anonymisation: neither ADMIN nor granted the right");
        }

        @Test
        void clubNotAmongTheUsersClubs() {
            valid(b -> b);
            assertRefused(valid(b -> b.addString("clubId", Long.toString(otherClub))), "Club " + otherClub
                    + " is not among the clubs of user '" + admin + "'");
        }

        @Test
        void emptyOrOverLongName() {
            assertRefused(valid(b -> b.addString("exportName", "   ")), "exportName must not be empty");
            assertRefused(valid(b -> b.addString("exportName", "x".repeat(101))),
                    "exportName must be at most 100 characters, got 101");
        }

        @Test
        void missingOrMalformedParameters() {
            JobParameters withoutClub = new JobParametersBuilder(valid(b -> b)).toJobParameters();
            JobParametersBuilder builder = new JobParametersBuilder();
            withoutClub.parameters().stream().filter(p -> !p.name().equals("clubId"))
                .forEach(builder::addJobParameter);
            assertRefused(builder.toJobParameters(), "clubId is required");
            assertRefused(valid(b -> b.addString("asOf", "31/03/2026")),
                    "asOf must be a date (YYYY-MM-DD), got '31/03/2026'");
        }

        @Test
        void aRefusedLaunchDoesNotBlockTheSameLaunchOnceAllowed() throws Exception {
            valid(b -> b);
            String manager = data.user(3, "MANAGER", false, club);
            JobParameters parameters = valid(b -> b.addString("requestedBy", manager));
            assertRefused(parameters, "User '" + manager
                    + "' may not run a mass anonymisation: neither ADMIN nor granted the right");

            data.grant(manager);
            JobExecution execution = jobOperator.start(exportJob, parameters);

            assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(jdbc.queryForObject("select count(*) from batch_job_instance i join batch_job_execution e"
                    + " on e.job_instance_id = i.job_instance_id where i.job_instance_id = ?", Long.class,
                    execution.getJobInstance().getInstanceId())).isOne();
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
