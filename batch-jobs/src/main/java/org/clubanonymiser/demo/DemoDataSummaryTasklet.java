package org.clubanonymiser.demo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Last step of {@code demoDataJob}: completes the seeded past imports with the number of members each anonymised
 * (from the ledger), then logs how many rows each table holds. Counts only, never a value. Idempotent.
 */
class DemoDataSummaryTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(DemoDataSummaryTasklet.class);

    static final List<String> TABLES = List.of("club", "app_user", "app_user_club", "member", "member_address",
            "member_phone", "member_consent", "member_account", "badge", "retired_badge_number", "visit", "booking",
            "purchase", "instalment", "invoice", "anonymisation_ledger");

    private final JdbcTemplate jdbc;

    DemoDataSummaryTasklet(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        int imports = jdbc.update("""
                update anonymisation_import
                set rows_read = (select count(*) from anonymisation_ledger l where l.import_id = anonymisation_import.id),
                    members_anonymised = (select count(*) from anonymisation_ledger l
                                          where l.import_id = anonymisation_import.id)
                where file_name like ?""", DemoDataSetupTasklet.HISTORY_FILE_PREFIX + "%");
        contribution.incrementWriteCount(imports);
        if (log.isInfoEnabled()) {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (String table : TABLES) {
                counts.put(table, jdbc.queryForObject("select count(*) from " + table, Long.class));
            }
            log.info("Demo data seeded, rows per table: {}", counts);
        }
        return RepeatStatus.FINISHED;
    }
}
