package org.clubanonymiser.demo;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.clubanonymiser.eligibility.Eligibility;
import org.clubanonymiser.eligibility.EligibilityRules;
import org.clubanonymiser.eligibility.EligibilitySql;
import org.clubanonymiser.eligibility.InactivityPeriod;
import org.clubanonymiser.eligibility.Ineligibility;
import org.clubanonymiser.eligibility.MemberActivity;
import org.clubanonymiser.testsupport.H2Database;
import org.clubanonymiser.testsupport.OracleModeDatabase;
import org.clubanonymiser.testsupport.PostgresDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.clubanonymiser.demo.DemoDatabase.count;

/** {@code demoDataJob} end to end on H2 and PostgreSQL: 2000 members in 3 clubs, chunks of 1000. */
class DemoDataJobFunctionalTests {

    static final LocalDate AS_OF = LocalDate.of(2026, 1, 15);

    static final int MEMBERS = 2000;

    static final int CLUBS = 3;

    static final long SEED = 7;

    abstract static class Contract {

        @Autowired
        JobOperator jobOperator;

        @Autowired
        JobRepository jobRepository;

        @Autowired
        Job demoDataJob;

        @Autowired
        JdbcTemplate jdbc;

        JobOperatorTestUtils jobs;

        @BeforeEach
        void emptyDatabase() {
            DemoDatabase.wipe(jdbc);
            jobs = new JobOperatorTestUtils(jobOperator, jobRepository);
            jobs.setJob(demoDataJob);
        }

        JobParameters parameters(long members, int clubs, long seed) {
            // As the command line gives them: strings.
            return new JobParametersBuilder().addString("members", Long.toString(members))
                .addString("clubs", Integer.toString(clubs))
                .addString("seed", Long.toString(seed))
                .addString("asOf", AS_OF.toString())
                .toJobParameters();
        }

        JobExecution seed(long members, int clubs, long seed) throws Exception {
            return jobs.startJob(parameters(members, clubs, seed));
        }

        @Test
        void seedsClubsUsersAndMembersWithExactCounts() throws Exception {
            JobExecution execution = seed(MEMBERS, CLUBS, SEED);

            assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            StepExecution memberStep = step(execution, "demoDataMemberStep");
            assertThat(memberStep.getReadCount()).isEqualTo(MEMBERS);
            assertThat(memberStep.getWriteCount()).isEqualTo(MEMBERS);
            assertThat(memberStep.getCommitCount()).isEqualTo(2);
            assertThat(count(jdbc, "select count(*) from club")).isEqualTo(CLUBS);
            assertThat(jdbc.queryForList("select code from club order by id", String.class))
                .containsExactly("PAR-01", "LYO-01", "MRS-01");
            assertThat(count(jdbc, "select count(*) from member")).isEqualTo(MEMBERS);
            assertThat(jdbc.queryForList("select count(*) from member group by club_id order by club_id", Long.class))
                .containsExactly(667L, 667L, 666L);
            assertThat(jdbc.queryForObject("select member_number from member where id = 1", String.class))
                .isEqualTo("M0000001");
            assertThat(count(jdbc, "select count(*) from member_consent")).isEqualTo(5L * MEMBERS);
            assertThat(jdbc.queryForList("select distinct status from member", String.class))
                .containsExactlyInAnyOrder("PROSPECT", "CLIENT", "FORMER_CLIENT", "ANONYMISED");

            long visits = count(jdbc, "select count(*) from visit");
            assertThat(visits).isBetween(10L * MEMBERS, 30L * MEMBERS);
            assertThat(count(jdbc, "select count(*) from booking")).isBetween(2L * MEMBERS, 15L * MEMBERS);
            assertThat(count(jdbc, "select count(*) from purchase")).isBetween(1L * MEMBERS, 10L * MEMBERS);
            assertThat(count(jdbc, "select count(*) from instalment")).isBetween(5L * MEMBERS, 25L * MEMBERS);
            assertThat(count(jdbc, "select count(*) from invoice")).isBetween(1L * MEMBERS, 6L * MEMBERS);
            assertThat(count(jdbc, "select count(*) from member_address")).isBetween(85L * MEMBERS / 100, 97L * MEMBERS / 100);
            assertThat(count(jdbc, "select count(*) from member_phone")).isBetween(MEMBERS / 2L, 2L * MEMBERS);
            assertThat(count(jdbc, "select count(*) from badge")).isBetween(MEMBERS / 2L, 1L * MEMBERS);
            assertThat(jdbc.queryForList("select count(*) from member_phone group by member_id", Long.class))
                .allSatisfy(phones -> assertThat(phones).isBetween(1L, 3L));
            assertThat(jdbc.queryForList("select count(*) from badge group by member_id", Long.class))
                .allSatisfy(badges -> assertThat(badges).isBetween(1L, 2L));

            // Balances: mostly no row, some debts and some overpayments.
            long accounts = count(jdbc, "select count(*) from member_account");
            assertThat(accounts).isBetween(MEMBERS / 10L, MEMBERS / 4L);
            assertThat(count(jdbc, "select count(*) from member_account where balance < 0")).isPositive();
            assertThat(count(jdbc, "select count(*) from member_account where balance > 0")).isPositive();

            // Activity stays within its history, relative to asOf; some bookings and instalments are in the future.
            LocalDateTime asOf = AS_OF.atStartOfDay();
            assertThat(count(jdbc, "select count(*) from visit where visited_at >= ? or visited_at < ?", asOf,
                    asOf.minusYears(8))).isZero();
            assertThat(count(jdbc, "select count(*) from booking where booked_at >= ?", asOf)).isZero();
            assertThat(count(jdbc, "select count(*) from booking where starts_at >= ?", asOf)).isPositive();
            assertThat(count(jdbc, "select count(*) from instalment where due_date >= ?", AS_OF)).isPositive();
            assertThat(count(jdbc, "select count(*) from member where created_at >= ? or created_at < ?", asOf,
                    asOf.minusYears(10))).isZero();
        }

        @Test
        void seedsTheDemoUsersWithPasswordDemo() throws Exception {
            seed(MEMBERS, CLUBS, SEED);

            assertThat(jdbc.queryForList("select username from app_user order by id", String.class)).containsExactly(
                    "admin.multi", "manager", "manager.granted", "staff", "admin.par01", "admin.lyo01", "admin.mrs01");
            assertThat(jdbc.queryForList("select role from app_user order by id", String.class))
                .containsExactly("ADMIN", "MANAGER", "MANAGER", "STAFF", "ADMIN", "ADMIN", "ADMIN");
            assertThat(jdbc.queryForList("select username from app_user where mass_anonymisation_granted = ?",
                    String.class, true)).containsExactly("manager.granted");
            assertThat(clubsOf("admin.multi")).containsExactly(1L, 2L, 3L);
            assertThat(clubsOf("manager")).containsExactly(1L, 2L, 3L);
            assertThat(clubsOf("manager.granted")).containsExactly(1L, 2L, 3L);
            assertThat(clubsOf("staff")).containsExactly(1L);
            assertThat(clubsOf("admin.lyo01")).containsExactly(2L);
            assertThat(count(jdbc, "select count(*) from app_user_club")).isEqualTo(3 * CLUBS + 1 + CLUBS);

            List<String> hashes = jdbc.queryForList("select password_hash from app_user", String.class);
            assertThat(hashes).hasSize(CLUBS + 4).allSatisfy(hash -> assertThat(hash).startsWith("{bcrypt}$2a$10$"));
            assertThat(hashes).containsOnly(hashes.get(0));
            PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
            assertThat(encoder.matches("demo", hashes.get(0))).isTrue();
            assertThat(encoder.matches("Demo", hashes.get(0))).isFalse();
        }

        @Test
        void anonymisedMembersCarryTheEffectOfAnonymisationAndALedgerRow() throws Exception {
            seed(MEMBERS, CLUBS, SEED);

            long anonymised = count(jdbc, "select count(*) from member where status = 'ANONYMISED'");
            assertThat(anonymised).isBetween(MEMBERS / 200L, MEMBERS / 20L);
            assertThat(count(jdbc, """
                    select count(*) from member where status = 'ANONYMISED' and first_name = 'No' and last_name = 'No'
                    and email is null and birth_date is null and notes is null and anonymised_at is not null
                    and sales_blocked = ? and bookings_blocked = ?""", true, true)).isEqualTo(anonymised);
            assertThat(count(jdbc, "select count(*) from member where anonymised_at is not null")).isEqualTo(anonymised);
            assertThat(count(jdbc, """
                    select count(*) from member_address a join member m on m.id = a.member_id
                    where m.status = 'ANONYMISED' and (a.line1 is not null or a.line2 is not null
                        or a.postcode is not null or a.city is not null or a.country is not null)""")).isZero();
            assertThat(count(jdbc, """
                    select count(*) from member_phone p join member m on m.id = p.member_id
                    where m.status = 'ANONYMISED'""")).isZero();
            assertThat(count(jdbc, """
                    select count(*) from member_consent c join member m on m.id = c.member_id
                    where m.status = 'ANONYMISED' and c.granted = ?""", true)).isZero();
            assertThat(count(jdbc, """
                    select count(*) from badge b join member m on m.id = b.member_id
                    where (m.status = 'ANONYMISED') <> (b.status = 'RETIRED')""")).isZero();
            assertThat(count(jdbc, "select count(*) from retired_badge_number"))
                .isEqualTo(count(jdbc, "select count(*) from badge where status = 'RETIRED'"))
                .isPositive();
            // Exactly one ledger row per anonymised member, pointing to its club's completed past import.
            assertThat(count(jdbc, """
                    select count(*) from anonymisation_ledger l
                    join member m on m.id = l.member_id and m.club_id = l.club_id and m.anonymised_at = l.anonymised_at
                    join anonymisation_import i on i.id = l.import_id and i.club_id = l.club_id
                    where m.status = 'ANONYMISED' and i.status = 'COMPLETED'""")).isEqualTo(anonymised);
            assertThat(count(jdbc, "select count(*) from anonymisation_ledger")).isEqualTo(anonymised);
            assertThat(count(jdbc, "select count(*) from anonymisation_import")).isEqualTo(CLUBS);
            assertThat(count(jdbc, "select sum(members_anonymised) from anonymisation_import")).isEqualTo(anonymised);
            // Their history is kept (legal retention, statistics).
            assertThat(count(jdbc, """
                    select count(*) from invoice v join member m on m.id = v.member_id
                    where m.status = 'ANONYMISED'""")).isPositive();
        }

        @Test
        void eligibilityAt36MonthsIsBetween20And35PercentWithEveryReasonPresent() throws Exception {
            seed(MEMBERS, CLUBS, SEED);
            InactivityPeriod period = new InactivityPeriod(AS_OF, 36);
            EligibilityRules rules = new EligibilityRules();
            Map<Ineligibility, Integer> reasons = new EnumMap<>(Ineligibility.class);
            int eligible = 0;
            boolean futureBookingReason = false;
            boolean futureInstalmentReason = false;
            for (MemberActivity member : jdbc.query("select " + EligibilitySql.MEMBER_ACTIVITY_COLUMNS
                    + " from member m order by m.id", (rs, n) -> new MemberActivity(rs.getLong("id"),
                            rs.getString("status"), rs.getObject("created_at", LocalDateTime.class),
                            rs.getObject("anonymised_at", LocalDateTime.class), rs.getBigDecimal("balance"),
                            rs.getObject("last_visit", LocalDateTime.class),
                            rs.getObject("last_booked_at", LocalDateTime.class),
                            rs.getObject("last_booking_start", LocalDateTime.class),
                            rs.getObject("last_purchase", LocalDateTime.class),
                            rs.getObject("last_instalment_due", LocalDate.class)))) {
                Eligibility verdict = rules.evaluate(member, period);
                if (verdict.eligible()) {
                    eligible++;
                    continue;
                }
                reasons.merge(verdict.reason(), 1, Integer::sum);
                futureBookingReason |= verdict.reason() == Ineligibility.RECENT_BOOKING
                        && member.lastBookingStart().isAfter(AS_OF.atStartOfDay());
                futureInstalmentReason |= verdict.reason() == Ineligibility.RECENT_INSTALMENT
                        && member.lastInstalmentDue().isAfter(AS_OF);
            }

            assertThat(eligible).isBetween(MEMBERS * 20 / 100, MEMBERS * 35 / 100);
            assertThat(reasons).containsOnlyKeys(Ineligibility.values());
            assertThat(futureBookingReason).as("a future booking alone keeps a member").isTrue();
            assertThat(futureInstalmentReason).as("a future instalment alone keeps a member").isTrue();
            // The SQL predicate the import re-checks with agrees with the rules.
            assertThat(count(jdbc, "select count(*) from member m where " + EligibilitySql.ELIGIBLE_PREDICATE
                    .replace(":cutoffDate", "?").replace(":cutoff", "?"), sqlCutoffs(period))).isEqualTo(eligible);
        }

        private Object[] sqlCutoffs(InactivityPeriod period) {
            // ELIGIBLE_PREDICATE's parameters in order of appearance: :cutoff five times, then :cutoffDate.
            LocalDateTime cutoff = period.cutoffStart();
            return new Object[] { cutoff, cutoff, cutoff, cutoff, cutoff, period.cutoff() };
        }

        @Test
        void sameSeedGivesIdenticalTablesAlsoAfterAFailedChunkAndARestart() throws Exception {
            assertThat(seed(MEMBERS, CLUBS, SEED).getStatus()).isEqualTo(BatchStatus.COMPLETED);
            String first = DemoDatabase.digest(jdbc);

            DemoDatabase.wipe(jdbc);
            // Make the second chunk fail: its first retired badge number is already taken.
            DemoMemberGenerator generator = new DemoMemberGenerator(SEED, AS_OF, DemoDirectory.clubs(CLUBS));
            String blocking = LongStream.rangeClosed(1001, MEMBERS)
                .mapToObj(generator::generate)
                .flatMap(member -> member.badges().stream())
                .filter(badge -> badge.retiredAt() != null)
                .findFirst()
                .orElseThrow()
                .badgeNumber();
            jdbc.update("insert into retired_badge_number (badge_number, retired_at) values (?, ?)", blocking,
                    AS_OF.atStartOfDay());
            JobExecution failed = seed(MEMBERS, CLUBS, SEED);
            assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
            assertThat(count(jdbc, "select count(*) from member")).isEqualTo(1000);

            jdbc.update("delete from retired_badge_number where badge_number = ?", blocking);
            JobExecution restarted = seed(MEMBERS, CLUBS, SEED);
            assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(restarted.getJobInstanceId()).isEqualTo(failed.getJobInstanceId());
            assertThat(step(restarted, "demoDataMemberStep").getWriteCount()).isEqualTo(MEMBERS - 1000);
            assertThat(DemoDatabase.digest(jdbc)).isEqualTo(first);

            DemoDatabase.wipe(jdbc);
            assertThat(seed(MEMBERS, CLUBS, SEED + 1).getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(DemoDatabase.digest(jdbc)).isNotEqualTo(first);
        }

        @Test
        void refusesInvalidParametersBeforeTouchingAnything() {
            List<JobParameters> invalid = List.of(parameters(0, 1, 1), parameters(5_000_001, 3, 1),
                    parameters(100, 0, 1), parameters(100, 1001, 1), parameters(2, 3, 1),
                    new JobParametersBuilder().addString("members", "many").toJobParameters(),
                    new JobParametersBuilder().addString("asOf", "15/01/2026").toJobParameters(),
                    new JobParametersBuilder().addString("member", "100").toJobParameters());
            for (JobParameters parameters : invalid) {
                assertThatExceptionOfType(InvalidJobParametersException.class).as(parameters.toString())
                    .isThrownBy(() -> jobs.startJob(parameters));
            }
            // Validated before the job instance exists (support's JobLaunchGuard): refused again the same way.
            assertThatExceptionOfType(InvalidJobParametersException.class)
                .isThrownBy(() -> jobs.startJob(invalid.get(0)));
            assertThat(count(jdbc, "select count(*) from batch_job_instance")).isZero();
            assertThat(count(jdbc, "select count(*) from batch_job_execution")).isZero();
            assertThat(count(jdbc, "select count(*) from club")).isZero();
            assertThat(count(jdbc, "select count(*) from member")).isZero();
        }

        @Test
        void refusesToSeedADatabaseThatAlreadyHasMembers() throws Exception {
            assertThat(seed(10, 1, 1).getStatus()).isEqualTo(BatchStatus.COMPLETED);
            String before = DemoDatabase.digest(jdbc);

            JobExecution second = seed(20, 2, 2);

            assertThat(second.getStatus()).isEqualTo(BatchStatus.FAILED);
            assertThat(second.getExitStatus().getExitDescription()).contains("only seeded into an empty member database")
                .contains("members: 10");
            assertThat(DemoDatabase.digest(jdbc)).isEqualTo(before);
        }

        private List<Long> clubsOf(String username) {
            return jdbc.queryForList("""
                    select uc.club_id from app_user_club uc join app_user u on u.id = uc.user_id
                    where u.username = ? order by uc.club_id""", Long.class, username);
        }

        private static StepExecution step(JobExecution execution, String name) {
            return execution.getStepExecutions().stream().filter(s -> s.getStepName().equals(name)).findFirst()
                .orElseThrow();
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
