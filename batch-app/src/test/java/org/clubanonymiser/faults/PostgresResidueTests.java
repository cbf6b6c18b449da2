package org.clubanonymiser.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.clubanonymiser.AnonymiserApplication;
import org.clubanonymiser.testsupport.TestDatabases;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL residue, measured on a real server (the embedded one): members carrying canary values are exported,
 * reviewed and imported by the real application; the database's files are then scanned byte by byte ({@code base/<db
 * oid>/}: every heap, index, TOAST, free-space and visibility-map file, each named by its relation) and the cluster's
 * WAL ({@code pg_wal}). Negative control: after a {@code CHECKPOINT}, the anonymised members' old values are found in
 * the member tables' heaps, the export manifest's, an index an operator added on {@code member(last_name)} and the
 * member table's TOAST table (a long note); PostgreSQL's own pruning may already have overwritten some of them (it
 * is not a guarantee), which is why the assertion is on the set. Then {@code residuePurgeJob}:
 * <ol>
 * <li>as a role that does not own the tables: refused (exit 1, the tables and their owner named), nothing rewritten;</li>
 * <li>as the tables' owner, not a superuser: completes, saying the statistics catalog, CHECKPOINT and the WAL switch
 * were not permitted; no canary in any file of the product's relations (the planner statistics in
 * {@code pg_statistic}, which sample column values, may keep some);</li>
 * <li>as a superuser: completes with the statistics catalog rewritten, CHECKPOINT and WAL switch: no canary in any
 * file of the database, catalogs included.</li>
 * </ol>
 * What remains in {@code pg_wal} is printed (segments holding a canary before and after): the privacy docs say why.
 */
@ExtendWith(OutputCaptureExtension.class)
class PostgresResidueTests {

    private static final Pattern RELATION_FILE = Pattern.compile("(\\d+)(_fsm|_vm|_init)?(\\.\\d+)?");

    Path workDir;

    String databaseUrl;

    @BeforeEach
    void freshDatabase() throws Exception {
        Path target = Files.createDirectories(Path.of("target", "residue-tests"));
        workDir = Files.createTempDirectory(target, "postgres-").toAbsolutePath();
        databaseUrl = TestDatabases.newPostgresDatabase();
    }

    @Test
    void afterTheResiduePurgeNoCanaryIsLeftInTheDatabaseFiles(CapturedOutput output) throws Exception {
        assertThat(run("postgres", "--spring.batch.job.name=demoDataJob", "members=200", "clubs=1", "seed=5",
                "asOf=" + PiiCanaryTests.AS_OF)).isZero();
        try (Connection connection = superuser()) {
            PiiCanaryTests.seedCanaryMembers(connection);
            try (Statement statement = connection.createStatement()) {
                // Incompressible and over 2 kB with the row: stored out of line, in the member table's TOAST table.
                statement.executeUpdate("update member set notes = 'Qzcanary long note " + randomText(1900)
                        + "' where id = 990003");
                // An operator's own index on a personal column: its old entries stay in the index's pages.
                statement.execute("create index ix_ops_member_last_name on member (last_name)");
            }
        }
        assertThat(run("postgres", "--spring.batch.job.name=exportJob", "clubId=1", "inactivityMonths=36",
                "exportName=residue", "requestedBy=admin.multi", "asOf=" + PiiCanaryTests.AS_OF)).isZero();
        assertThat(run("postgres", "--spring.batch.job.name=importJob", "file=" + PiiCanaryTests.review(storage()),
                "requestedBy=admin.multi")).isZero();
        JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(superuser(), true));
        assertThat(jdbc.queryForObject("select count(*) from member where id between 990001 and 990003"
                + " and status = 'ANONYMISED' and notes is null", Long.class)).isEqualTo(3);
        assertThat(jdbc.queryForObject("select count(*) from storage_residue", Long.class)).isPositive();

        // Negative control: the old values are in the files once the checkpoint has written the pages out.
        jdbc.execute("checkpoint");
        List<String> before = databaseFiles(jdbc);
        int walBefore = walSegments(jdbc).size();
        assertThat(before).anyMatch(finding -> finding.startsWith("heap member"))
            .anyMatch(finding -> finding.startsWith("heap anonymisation_export_member:"))
            .anyMatch(finding -> finding.startsWith("index ix_ops_member_last_name:"))
            .anyMatch(finding -> finding.startsWith("toast member:"));

        // A role that may read and write every table but owns none: refused before anything is rewritten.
        jdbc.execute("create role residue_app login password 'residue'");
        jdbc.execute("grant all on all tables in schema public to residue_app");
        jdbc.execute("grant all on all sequences in schema public to residue_app");
        long memberFile = relfilenode(jdbc, "member");
        assertThat(run("residue_app", "--spring.batch.job.name=residuePurgeJob")).isEqualTo(1);
        assertThat(output.getAll()).contains("Residue purge refused: VACUUM FULL needs the owner of each table")
            .contains("member (owner postgres)")
            .contains("Nothing was rewritten");
        assertThat(relfilenode(jdbc, "member")).isEqualTo(memberFile);
        assertThat(databaseFiles(jdbc)).anyMatch(finding -> finding.startsWith("heap member"));

        // The tables' owner, without superuser: rewritten; no checkpoint nor WAL switch, and said so.
        for (String table : List.of("member", "member_address", "member_phone", "anonymisation_export_member")) {
            jdbc.execute("alter table " + table + " owner to residue_app");
        }
        assertThat(run("residue_app", "--spring.batch.job.name=residuePurgeJob")).isZero();
        assertThat(output.getAll()).contains("Residue purge: table member rewritten (1 of 4)")
            .contains("Residue purge: table anonymisation_export_member rewritten (4 of 4)")
            .contains("CHECKPOINT not permitted")
            .contains("pg_switch_wal() not permitted")
            .contains("pg_statistic not rewritten (needs a superuser)")
            .contains("statistics not permitted, checkpoint not permitted, WAL switch not permitted");
        assertThat(relfilenode(jdbc, "member")).isNotEqualTo(memberFile);
        assertThat(jdbc.queryForObject("select count(*) from storage_residue", Long.class)).isZero();
        // Not one canary left in the product's files; the catalog's statistics may keep old samples, as said.
        assertThat(databaseFiles(jdbc)).allMatch(finding -> finding.startsWith("catalog heap pg_statistic:")
                || finding.startsWith("catalog toast pg_statistic:"));

        // A superuser: the same, plus the statistics, CHECKPOINT and the WAL switch.
        assertThat(run("postgres", "--spring.batch.job.name=residuePurgeJob")).isZero();
        assertThat(output.getAll()).contains("statistics done, checkpoint done, WAL switch done");
        assertThat(databaseFiles(jdbc)).isEmpty();
        System.out.printf("PostgreSQL residue: WAL segments holding a canary: %d after the import, %d after the"
                + " purge (of %d segment files)%n", walBefore, walSegments(jdbc).size(), walFiles(jdbc));
    }

    /** Canaries in the files of this test's database, each named by its relation's kind and name. */
    List<String> databaseFiles(JdbcTemplate jdbc) throws Exception {
        Map<Long, String> relations = new HashMap<>();
        // A TOAST table is named by the table it belongs to; the system catalogs are marked as such.
        jdbc.query("""
                select pg_relation_filenode(c.oid), c.relkind, coalesce(t.relname, c.relname),
                       coalesce(tn.nspname, n.nspname) = 'pg_catalog'
                from pg_class c join pg_namespace n on n.oid = c.relnamespace
                left join pg_class t on t.reltoastrelid = c.oid left join pg_namespace tn on tn.oid = t.relnamespace
                where pg_relation_filenode(c.oid) is not null""", (ResultSet rs) -> {
                    String kind = switch (rs.getString(2)) {
                        case "r" -> "heap";
                        case "i" -> "index";
                        case "t" -> "toast";
                        default -> "relation";
                    };
                    relations.put(rs.getLong(1), (rs.getBoolean(4) ? "catalog " : "") + kind + " " + rs.getString(3));
                });
        Path directory = dataDirectory(jdbc).resolve("base")
            .resolve(String.valueOf(jdbc.queryForObject("select oid from pg_database where datname = current_database()",
                    Long.class)));
        List<String> findings = new ArrayList<>();
        for (String finding : new PiiScan(PiiCanaryTests.CANARIES, workDir).files(directory)) {
            // "file <name>: <canary>"
            String name = finding.substring("file ".length(), finding.indexOf(':'));
            Matcher matcher = RELATION_FILE.matcher(name);
            String relation = matcher.matches() ? relations.getOrDefault(Long.parseLong(matcher.group(1)),
                    "dropped " + name) + (matcher.group(2) == null ? "" : " " + matcher.group(2)) : "file " + name;
            findings.add(relation + finding.substring(finding.indexOf(':')));
        }
        return findings;
    }

    List<String> walSegments(JdbcTemplate jdbc) throws Exception {
        return new PiiScan(PiiCanaryTests.CANARIES, workDir).files(dataDirectory(jdbc).resolve("pg_wal"));
    }

    long walFiles(JdbcTemplate jdbc) throws Exception {
        try (var files = Files.list(dataDirectory(jdbc).resolve("pg_wal"))) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    static Path dataDirectory(JdbcTemplate jdbc) {
        return Path.of(jdbc.queryForObject("show data_directory", String.class));
    }

    static long relfilenode(JdbcTemplate jdbc, String table) {
        return jdbc.queryForObject("select pg_relation_filenode(to_regclass(?))", Long.class, table);
    }

    Connection superuser() throws SQLException {
        DataSource postgres = TestDatabases.postgres().getDatabase("postgres", databaseName());
        return postgres.getConnection();
    }

    String databaseName() {
        String path = databaseUrl.substring(databaseUrl.lastIndexOf('/') + 1);
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    Path storage() {
        return workDir.resolve("storage");
    }

    /** The application in task mode, as the given database role; its exit code. */
    int run(String role, String... jobArguments) {
        List<String> arguments = new ArrayList<>(List.of(jobArguments));
        // Without the URL's own user parameter, which would override the role.
        arguments.add("--spring.datasource.url=" + databaseUrl.replaceFirst("\\?.*$", ""));
        arguments.add("--spring.datasource.username=" + role);
        arguments.add("--spring.datasource.password=" + ("postgres".equals(role) ? "" : "residue"));
        arguments.add("--anonymiser.storage-dir=" + storage());
        arguments.add("--anonymiser.export.chunk-size=50");
        arguments.add("--anonymiser.import.chunk-size=50");
        return AnonymiserApplication.run(arguments.toArray(String[]::new));
    }

    static String randomText(int length) {
        Random random = new Random(15);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
