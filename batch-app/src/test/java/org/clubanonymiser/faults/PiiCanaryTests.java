package org.clubanonymiser.faults;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipInputStream;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.clubanonymiser.AnonymiserApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PII residue: members carrying unique canary values (names, e-mail, phone, notes, address, birth date) go through
 * export, review (a POI re-save) and import, run by the real application with {@code org.clubanonymiser} logging at
 * DEBUG; then every store the product writes is scanned for the canaries: every column of every table (the
 * {@code BATCH_*} and {@code TASK_*} tables included: job parameters, execution contexts, also Base64-decoded)
 * except the activity tables anonymisation keeps, the H2 database file itself as the application left it, every file
 * under the storage dir (zip and xlsx entries inflated), the captured logs and the metric tags. Negative control: the
 * same scan finds them before the import.
 */
@ExtendWith(OutputCaptureExtension.class)
class PiiCanaryTests {

    static final String AS_OF = "2026-01-15";

    static final List<String> CANARIES = List.of("qzcanary", "0699170417", "1901-02-03");

    Path workDir;

    Path storage;

    String databaseUrl;

    @BeforeEach
    void freshDatabase() throws IOException {
        Path target = Files.createDirectories(Path.of("target", "canary-tests"));
        workDir = Files.createTempDirectory(target, "run-").toAbsolutePath();
        storage = workDir.resolve("storage");
        databaseUrl = "jdbc:h2:file:" + workDir.resolve("db/anonymiser");
    }

    @Test
    void noCanaryOfAnAnonymisedMemberRemainsAnywhere(CapturedOutput output) throws Exception {
        assertThat(run("--spring.batch.job.name=demoDataJob", "members=200", "clubs=1", "seed=5", "asOf=" + AS_OF))
            .isEmpty();
        try (Connection connection = DriverManager.getConnection(databaseUrl, "sa", "")) {
            seedCanaryMembers(connection);
        }

        assertThat(run("--spring.batch.job.name=exportJob", "clubId=1", "inactivityMonths=36", "exportName=canary",
                "requestedBy=admin.multi", "asOf=" + AS_OF))
            .isEmpty();
        Path reviewed = review();

        // Negative control: the scan sees them where they are expected before the import.
        List<String> before = scan(output.getAll());
        assertThat(before).anyMatch(finding -> finding.startsWith("table MEMBER."))
            .anyMatch(finding -> finding.startsWith("table MEMBER_ADDRESS."))
            .anyMatch(finding -> finding.startsWith("table MEMBER_PHONE."))
            .anyMatch(finding -> finding.startsWith("table ANONYMISATION_EXPORT_MEMBER."))
            .anyMatch(finding -> finding.startsWith("file exports/"))
            .anyMatch(finding -> finding.startsWith("file uploads/"))
            .anyMatch(finding -> finding.startsWith("database file anonymiser.mv.db"));

        List<String> metricFindings = run("--spring.batch.job.name=importJob", "file=" + reviewed,
                "requestedBy=admin.multi");

        assertThat(count("select count(*) from member where id between 990001 and 990003 and status = 'ANONYMISED'"))
            .isEqualTo(3);
        assertThat(metricFindings).isEmpty();
        assertThat(scan(output.getAll())).isEmpty();
        // The reviewed upload held the names: the product deletes it from uploads/ once its import completed.
        assertThat(reviewed).doesNotExist();
    }

    /** Runs the application in-process; returns the canaries found in metric tags before it exits (0 asserted). */
    List<String> run(String... jobArguments) {
        List<String> arguments = new ArrayList<>(List.of(jobArguments));
        arguments.add("--spring.datasource.url=" + databaseUrl);
        arguments.add("--anonymiser.storage-dir=" + storage);
        arguments.add("--logging.level.org.clubanonymiser=DEBUG");
        arguments.add("--anonymiser.export.chunk-size=50");
        arguments.add("--anonymiser.import.chunk-size=50");
        ConfigurableApplicationContext context = SpringApplication.run(AnonymiserApplication.class,
                arguments.toArray(String[]::new));
        List<String> findings = new ArrayList<>();
        for (MeterRegistry registry : context.getBeansOfType(MeterRegistry.class).values()) {
            for (Meter meter : registry.getMeters()) {
                findings.addAll(new PiiScan(CANARIES, workDir).text("metric " + meter.getId().getName(),
                        meter.getId().toString()));
            }
        }
        assertThat(SpringApplication.exit(context)).isZero();
        return findings;
    }

    /** Three eligible PROSPECTs of club 1 (ids 990001-990003, created in 2015, no activity) carrying the canaries. */
    static void seedCanaryMembers(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (int i = 1; i <= 3; i++) {
                long id = 990000 + i;
                statement.executeUpdate("""
                        insert into member (id, member_number, club_id, status, first_name, last_name, email,
                            birth_date, notes, created_at)
                        values (%d, 'CAN-%d', 1, 'PROSPECT', 'Qzcanaryfirst%d', 'Qzcanarylast%d',
                            'qzcanary.mail%d@example.org', date '1901-02-03', 'Qzcanary note %d: allergic',
                            timestamp '2015-03-01 10:00:00')""".formatted(id, i, i, i, i, i));
                statement.executeUpdate("""
                        insert into member_address (member_id, line1, line2, postcode, city, country)
                        values (%d, '%d Qzcanary Street', 'Qzcanary building', 'QZ%d', 'Qzcanarycity', 'FR')"""
                    .formatted(id, i, i));
                statement.executeUpdate("insert into member_phone (id, member_id, kind, number) values (%d, %d,"
                        .formatted(id, id) + " 'MOBILE', '0699170417')");
                statement.executeUpdate("insert into member_consent (member_id, channel, granted, updated_at)"
                        + " values (%d, 'EMAIL', true, timestamp '2015-03-01 10:00:00')".formatted(id));
            }
        }
    }

    /** The admin's review: the export's workbook opened and re-saved (POI) into the storage dir's uploads. */
    Path review() throws IOException {
        return review(storage);
    }

    /** The review of the only export under {@code storage}, into {@code uploads/canary-reviewed.xlsx}. */
    static Path review(Path storage) throws IOException {
        Path zip;
        try (Stream<Path> files = Files.list(storage.resolve("exports"))) {
            zip = files.findFirst().orElseThrow();
        }
        Path reviewed = Files.createDirectories(storage.resolve("uploads")).resolve("canary-reviewed.xlsx");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            in.getNextEntry();
            try (XSSFWorkbook workbook = new XSSFWorkbook(in); OutputStream out = Files.newOutputStream(reviewed)) {
                workbook.write(out);
            }
        }
        return reviewed;
    }

    List<String> scan(String logs) throws Exception {
        PiiScan scan = new PiiScan(CANARIES, workDir);
        List<String> findings = new ArrayList<>(scan.text("logs", logs));
        // The H2 file as the application closed it (H2 compacts on close), before this scan opens it again.
        scan.files(workDir.resolve("db")).stream().map(finding -> "database " + finding).forEach(findings::add);
        try (Connection connection = DriverManager.getConnection(databaseUrl, "sa", "")) {
            findings.addAll(scan.tables(connection));
        }
        findings.addAll(scan.files(storage));
        return findings;
    }

    long count(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(databaseUrl, "sa", "");
                Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
