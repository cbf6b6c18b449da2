package org.clubanonymiser.export;

import org.clubanonymiser.support.database.DatabasePlatform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Before {@code exportWorkbookStep} reads the manifest, on PostgreSQL: refreshes the planner's statistics of
 * {@code anonymisation_export_member} ({@code ANALYZE}, sampled) when they do not know this export (its id is not
 * among the most common values of {@code export_id}) although its rows are more than a tenth of what they think the
 * table holds ({@code pg_class.reltuples}; autovacuum's own default threshold).
 * <p>
 * Why: the manifest step has just inserted the export's rows, and autovacuum analyses a table at most once a minute.
 * With statistics that do not know them, the planner estimates a few dozen rows for {@code export_id = ?} and reads
 * each 1,000-row page of the workbook's keyset reader by a bitmap scan of every remaining row of the export, then a
 * sort: measured on 256,453 rows, 41 ms a page (10.5 s for the step's 256 pages) against 0.3 ms a page by the primary
 * key once analysed; the cost grows with the square of the export. The ANALYZE reads a sample (a few hundred
 * milliseconds for such a table, whatever its size). Once analysed, an export that large is among the most common
 * values: a second pass (a restart, a chain export's other clubs) analyses again only for rows it does not know. H2
 * and Oracle: nothing (H2 plans this query by the primary key; Oracle's statistics are its own scheduler's).
 * <p>
 * ANALYZE needs the table's owner (or the database's, or a superuser): PostgreSQL would only warn and skip the table,
 * so a role without it is told in the log, once per export, and the table waits for autovacuum.
 */
class ManifestStatistics implements StepExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(ManifestStatistics.class);

    /** autovacuum's default {@code autovacuum_analyze_scale_factor} and {@code autovacuum_analyze_threshold}. */
    private static final String STALE = """
            select (c.reltuples < 0 or ? > 50 + 0.1 * c.reltuples)
                and not exists (select 1 from pg_stats s where s.schemaname = current_schema()
                    and s.tablename = 'anonymisation_export_member' and s.attname = 'export_id'
                    and s.most_common_vals::text::bigint[] @> array[?::bigint])
            from pg_class c where c.oid = 'anonymisation_export_member'::regclass""";

    /** The privileges ANALYZE checks: the table's owner or the database's (a superuser passes both). */
    private static final String PERMITTED = """
            select pg_has_role(c.relowner, 'USAGE') or pg_has_role(d.datdba, 'USAGE')
            from pg_class c, pg_database d
            where c.oid = 'anonymisation_export_member'::regclass and d.datname = current_database()""";

    private final JdbcTemplate jdbc;

    private final boolean postgres;

    private final ExportManifest manifest;

    private final long exportId;

    ManifestStatistics(JdbcTemplate jdbc, DatabasePlatform platform, ExportManifest manifest, long exportId) {
        this.jdbc = jdbc;
        this.postgres = platform == DatabasePlatform.POSTGRESQL;
        this.manifest = manifest;
        this.exportId = exportId;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        refresh();
    }

    /** Analyses the manifest table if needed; whether it did. */
    boolean refresh() {
        if (!postgres) {
            return false;
        }
        long rows = manifest.count(exportId);
        if (rows == 0 || !Boolean.TRUE.equals(jdbc.queryForObject(STALE, Boolean.class, rows, exportId))) {
            return false;
        }
        if (!Boolean.TRUE.equals(jdbc.queryForObject(PERMITTED, Boolean.class))) {
            log.warn("Export {}: the manifest's planner statistics are stale and this database role may not ANALYZE"
                    + " anonymisation_export_member (it needs the table's owner): the workbook's pages may read"
                    + " slowly until autovacuum analyses it", exportId);
            return false;
        }
        jdbc.execute("analyze anonymisation_export_member");
        return true;
    }
}
