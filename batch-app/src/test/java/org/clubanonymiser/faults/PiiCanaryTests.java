package org.clubanonymiser.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
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
 * except the activity tables SPEC §4 keeps, every file under the storage dir (zip and xlsx entries inflated), the
 * captured logs and the metric tags. Negative control: the same scan finds them before the import.
 */
@ExtendWith(OutputCaptureExtension.class)
class PiiCanaryTests {

    static final String AS_OF = "2026-01-15";

    /** SPEC §4: kept unchanged for legal retention and statistics (they hold no canary here anyway). */
    static final Set<String> RETAINED_TABLES = Set.of("VISIT", "BOOKING", "PURCHASE", "INSTALMENT", "INVOICE");

    static final List<String> CANARIES = List.of("qzcanary", "0699170417", "1901-02-03");

    static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/=\\s]{24,}");

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
        seedCanaryMembers();

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
            .anyMatch(finding -> finding.startsWith("file uploads/"));

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
                String id = meter.getId().toString();
                canariesIn(id).forEach(canary -> findings.add("metric " + meter.getId().getName() + ": " + canary));
            }
        }
        assertThat(SpringApplication.exit(context)).isZero();
        return findings;
    }

    void seedCanaryMembers() throws SQLException {
        try (Connection connection = DriverManager.getConnection(databaseUrl, "sa", "");
                Statement statement = connection.createStatement()) {
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
        List<String> findings = new ArrayList<>();
        canariesIn(logs).forEach(canary -> findings.add("logs: " + canary));
        try (Connection connection = DriverManager.getConnection(databaseUrl, "sa", "")) {
            List<String> tables = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("select table_name from information_schema.tables"
                            + " where table_schema = 'PUBLIC' and table_type = 'BASE TABLE'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).contains("MEMBER", "BATCH_JOB_EXECUTION_CONTEXT", "BATCH_STEP_EXECUTION_CONTEXT",
                    "BATCH_JOB_EXECUTION_PARAMS", "TASK_EXECUTION", "ANONYMISATION_LEDGER", "JOB_HEARTBEAT");
            for (String table : tables) {
                if (RETAINED_TABLES.contains(table)) {
                    continue;
                }
                try (Statement statement = connection.createStatement();
                        ResultSet rs = statement.executeQuery("select * from \"" + table + "\"")) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        for (int c = 1; c <= meta.getColumnCount(); c++) {
                            String value = rs.getString(c);
                            for (String canary : canariesInValue(value)) {
                                findings.add("table " + table + "." + meta.getColumnName(c) + ": " + canary);
                            }
                        }
                    }
                }
            }
        }
        try (Stream<Path> files = Files.walk(storage)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = storage.relativize(file).toString();
                for (String canary : canariesIn(readable(file))) {
                    findings.add("file " + name + ": " + canary);
                }
            }
        }
        return findings;
    }

    /** The file's text: zip entries (xlsx parts, the export's nested xlsx) inflated, recursively. */
    String readable(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 4 || bytes[0] != 'P' || bytes[1] != 'K') {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        StringBuilder text = new StringBuilder();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                Path part = Files.createTempFile(workDir, "part-", ".bin");
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, part, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    text.append(readable(part)).append('\n');
                }
                finally {
                    Files.delete(part);
                }
            }
        }
        return text.toString();
    }

    static List<String> canariesInValue(String value) {
        if (value == null) {
            return List.of();
        }
        List<String> found = new ArrayList<>(canariesIn(value));
        // Execution contexts serialised with Java serialisation are stored Base64-encoded.
        var matcher = BASE64.matcher(value);
        while (matcher.find()) {
            try {
                byte[] decoded = Base64.getMimeDecoder().decode(matcher.group());
                canariesIn(new String(decoded, StandardCharsets.ISO_8859_1)).stream()
                    .map(canary -> canary + " (Base64)")
                    .forEach(found::add);
            }
            catch (IllegalArgumentException notBase64) {
                // plain text
            }
        }
        return found;
    }

    static List<String> canariesIn(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return CANARIES.stream().filter(lower::contains).toList();
    }

    long count(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(databaseUrl, "sa", "");
                Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
