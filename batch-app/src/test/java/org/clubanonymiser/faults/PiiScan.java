package org.clubanonymiser.faults;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Looks for canary values (case-insensitive substrings) in the stores the product writes: every column of every
 * table but the activity tables anonymisation keeps (Base64-looking values, such as Java-serialised execution contexts,
 * decoded too), every file under a directory (zip and xlsx parts inflated, recursively) and any text (logs). Each
 * finding names the place and the canary, never the value around it.
 */
class PiiScan {

    /** Kept unchanged by anonymisation, for legal retention and statistics. */
    static final Set<String> RETAINED_TABLES = Set.of("VISIT", "BOOKING", "PURCHASE", "INSTALMENT", "INVOICE");

    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/=\\s]{24,}");

    private final List<String> canaries;

    private final Path scratchDir;

    PiiScan(List<String> canaries, Path scratchDir) {
        this.canaries = canaries.stream().map(canary -> canary.toLowerCase(Locale.ROOT)).toList();
        this.scratchDir = scratchDir;
    }

    List<String> tables(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select table_name from information_schema.tables"
                        + " where table_schema = 'PUBLIC' and table_type = 'BASE TABLE'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        if (!tables.containsAll(List.of("MEMBER", "BATCH_JOB_EXECUTION_CONTEXT", "BATCH_STEP_EXECUTION_CONTEXT",
                "BATCH_JOB_EXECUTION_PARAMS", "ANONYMISATION_EXPORT_MEMBER", "ANONYMISATION_LEDGER"))) {
            throw new IllegalStateException("Not the product's schema: " + tables);
        }
        List<String> findings = new ArrayList<>();
        for (String table : tables) {
            if (RETAINED_TABLES.contains(table)) {
                continue;
            }
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("select * from \"" + table + "\"")) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        for (String canary : inValue(rs.getString(c))) {
                            findings.add("table " + table + "." + meta.getColumnName(c) + ": " + canary);
                        }
                    }
                }
            }
        }
        return findings;
    }

    List<String> files(Path root) throws IOException {
        List<String> findings = new ArrayList<>();
        if (!Files.exists(root)) {
            return findings;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = root.relativize(file).toString();
                for (String canary : in(readable(file))) {
                    findings.add("file " + name + ": " + canary);
                }
            }
        }
        return findings;
    }

    List<String> text(String label, String text) {
        return in(text).stream().map(canary -> label + ": " + canary).toList();
    }

    private String readable(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        }
        catch (NoSuchFileException gone) {
            // Removed between the listing and the read by the running server (PostgreSQL rewrites and deletes
            // pg_internal.init): a file that no longer exists holds nothing to find.
            return "";
        }
        if (bytes.length < 4 || bytes[0] != 'P' || bytes[1] != 'K') {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        StringBuilder text = new StringBuilder();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                Path part = Files.createTempFile(scratchDir, "part-", ".bin");
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                    text.append(readable(part)).append('\n');
                }
                finally {
                    Files.delete(part);
                }
            }
        }
        return text.toString();
    }

    private List<String> inValue(String value) {
        if (value == null) {
            return List.of();
        }
        List<String> found = new ArrayList<>(in(value));
        Matcher matcher = BASE64.matcher(value);
        while (matcher.find()) {
            try {
                byte[] decoded = Base64.getMimeDecoder().decode(matcher.group());
                in(new String(decoded, StandardCharsets.ISO_8859_1)).stream()
                    .map(canary -> canary + " (Base64)")
                    .forEach(found::add);
            }
            catch (IllegalArgumentException notBase64) {
                // plain text, already scanned
            }
        }
        return found;
    }

    private List<String> in(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return canaries.stream().filter(lower::contains).toList();
    }
}
