package org.clubanonymiser.demo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.clubanonymiser.support.execution.JobParameterValues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * First step of {@code demoDataJob}: refuses a database that already holds members, clubs or users (demo data is
 * only ever seeded into an empty member database: it would otherwise mix with real records), then inserts the
 * clubs, the demo users with their clubs, and one completed past import per club (the one that anonymised the
 * seeded ANONYMISED members). Stores the effective parameters in the job execution context
 * ({@link DemoDataJobParameters#writeTo}).
 * <p>
 * Runs in one transaction: on any failure nothing is left behind and a restart runs it again; once completed it is
 * not run again by a restart.
 */
class DemoDataSetupTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(DemoDataSetupTasklet.class);

    static final String HISTORY_FILE_PREFIX = "demo-history-";

    private final JdbcTemplate jdbc;

    private final Clock clock;

    DemoDataSetupTasklet(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Thrown when the database is not empty; nothing was changed. */
    static class DatabaseNotEmptyException extends IllegalStateException {

        DatabaseNotEmptyException(long members, long clubs, long users) {
            super("Demo data is only seeded into an empty member database; this one already holds members: " + members
                    + ", clubs: " + clubs + ", users: " + users + ". Nothing was changed. Seed a new database (for the"
                    + " embedded default: delete ./data) or point spring.datasource.url elsewhere.");
        }
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        JobExecution jobExecution = chunkContext.getStepContext().getStepExecution().getJobExecution();
        DemoDataJobParameters parameters = JobParameterValues.accepted(
                given -> DemoDataJobParameters.from(given, LocalDate.now(clock)), jobExecution.getJobParameters());
        long members = count("member");
        long clubs = count("club");
        long users = count("app_user");
        if (members + clubs + users > 0) {
            throw new DatabaseNotEmptyException(members, clubs, users);
        }

        List<DemoDirectory.Club> demoClubs = DemoDirectory.clubs(parameters.clubs());
        jdbc.batchUpdate("insert into club (id, code, name) values (?, ?, ?)", demoClubs, demoClubs.size(),
                (ps, club) -> {
                    ps.setLong(1, club.id());
                    ps.setString(2, club.code());
                    ps.setString(3, club.name());
                });

        List<DemoDirectory.User> demoUsers = DemoDirectory.users(demoClubs);
        String passwordHash = DemoDirectory.passwordHash(parameters.seed());
        jdbc.batchUpdate("""
                insert into app_user (id, username, display_name, password_hash, role, mass_anonymisation_granted)
                values (?, ?, ?, ?, ?, ?)""", demoUsers, demoUsers.size(), (ps, user) -> {
            ps.setLong(1, user.id());
            ps.setString(2, user.username());
            ps.setString(3, user.displayName());
            ps.setString(4, passwordHash);
            ps.setString(5, user.role());
            ps.setBoolean(6, user.massAnonymisationGranted());
        });
        List<long[]> userClubs = new ArrayList<>();
        demoUsers.forEach(user -> user.clubIds().forEach(clubId -> userClubs.add(new long[] { user.id(), clubId })));
        jdbc.batchUpdate("insert into app_user_club (user_id, club_id) values (?, ?)", userClubs, userClubs.size(),
                (ps, pair) -> {
                    ps.setLong(1, pair[0]);
                    ps.setLong(2, pair[1]);
                });

        LocalDateTime previousRun = DemoMemberGenerator.previousRun(parameters.asOf());
        // Counts are filled in by the summary step, once the members exist. dry_run is bound, not a literal: Oracle's
        // SQL has no FALSE (its column is a NUMBER(1)).
        jdbc.batchUpdate("""
                insert into anonymisation_import (club_id, file_name, file_checksum, requested_by, dry_run, status,
                    rows_read, members_anonymised, rows_rejected, created_at, completed_at)
                values (?, ?, ?, ?, ?, 'COMPLETED', 0, 0, 0, ?, ?)""", demoClubs, demoClubs.size(), (ps, club) -> {
            ps.setLong(1, club.id());
            ps.setString(2, HISTORY_FILE_PREFIX + club.code() + ".xlsx");
            ps.setString(3, sha256(HISTORY_FILE_PREFIX + club.code() + ":" + parameters.seed()));
            ps.setString(4, club.adminUsername());
            ps.setBoolean(5, false);
            ps.setObject(6, previousRun.minusMinutes(10));
            ps.setObject(7, previousRun.plusMinutes(31));
        });

        parameters.writeTo(jobExecution.getExecutionContext());
        contribution.incrementWriteCount(demoClubs.size() + demoUsers.size());
        log.info("Demo data: {} clubs and {} users created; {} members to generate (seed {}, asOf {})",
                demoClubs.size(), demoUsers.size(), parameters.members(), parameters.seed(), parameters.asOf());
        return RepeatStatus.FINISHED;
    }

    private long count(String table) {
        Long count = jdbc.queryForObject("select count(*) from " + table, Long.class);
        return count == null ? 0 : count;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
