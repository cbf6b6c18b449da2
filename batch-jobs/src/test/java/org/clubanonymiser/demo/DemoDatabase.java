package org.clubanonymiser.demo;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;

/** Test helpers over a database seeded by {@code demoDataJob}: wipe it back to empty, fingerprint its contents. */
final class DemoDatabase {

    /** Every table the job writes, with a unique order, in an order safe for deleting. */
    static final Map<String, String> TABLES_AND_ORDER = new LinkedHashMap<>();

    static {
        TABLES_AND_ORDER.put("anonymisation_ledger", "member_id");
        TABLES_AND_ORDER.put("retired_badge_number", "badge_number");
        TABLES_AND_ORDER.put("invoice", "id");
        TABLES_AND_ORDER.put("instalment", "id");
        TABLES_AND_ORDER.put("purchase", "id");
        TABLES_AND_ORDER.put("booking", "id");
        TABLES_AND_ORDER.put("visit", "id");
        TABLES_AND_ORDER.put("badge", "id");
        TABLES_AND_ORDER.put("member_account", "member_id");
        TABLES_AND_ORDER.put("member_consent", "member_id, channel");
        TABLES_AND_ORDER.put("member_phone", "id");
        TABLES_AND_ORDER.put("member_address", "member_id");
        TABLES_AND_ORDER.put("member", "id");
        TABLES_AND_ORDER.put("app_user_club", "user_id, club_id");
        TABLES_AND_ORDER.put("app_user", "id");
        TABLES_AND_ORDER.put("anonymisation_import", "id");
        TABLES_AND_ORDER.put("club", "id");
    }

    private DemoDatabase() {
    }

    /** Back to a freshly migrated database: business rows, job metadata, and the import ids' identity. */
    static void wipe(JdbcTemplate jdbc) {
        // Rows other test classes sharing the database left, which hold keys to the tables below (an export to its
        // club, a claim or rejection to its import): gone first, or the wipe would depend on the classes' order.
        for (String table : new String[] { "anonymisation_import_claim", "anonymisation_import_rejection",
                "anonymisation_export_member" }) {
            jdbc.update("delete from " + table);
        }
        TABLES_AND_ORDER.keySet().forEach(table -> {
            if (table.equals("club")) {
                jdbc.update("delete from anonymisation_export");
            }
            jdbc.update("delete from " + table);
        });
        jdbc.update("alter table anonymisation_import alter column id restart with 1");
        for (String table : new String[] { "job_heartbeat", "batch_step_execution_context", "batch_step_execution",
                "batch_job_execution_context", "batch_job_execution_params", "batch_job_execution",
                "batch_job_instance" }) {
            jdbc.update("delete from " + table);
        }
    }

    /** SHA-256 over every column of every row of every table the job writes, in a fixed order. */
    static String digest(JdbcTemplate jdbc) {
        MessageDigest digest = sha256();
        TABLES_AND_ORDER.forEach((table, order) -> {
            digest.update(table.getBytes(StandardCharsets.UTF_8));
            jdbc.query("select * from " + table + " order by " + order, rs -> {
                int columns = rs.getMetaData().getColumnCount();
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    Object value = rs.getObject(i);
                    row.append(value instanceof BigDecimal decimal ? decimal.toPlainString() : String.valueOf(value))
                        .append('\u001f');
                }
                digest.update(row.append('\n').toString().getBytes(StandardCharsets.UTF_8));
            });
        });
        return HexFormat.of().formatHex(digest.digest());
    }

    static long count(JdbcTemplate jdbc, String sql, Object... args) {
        Long count = jdbc.queryForObject(sql, Long.class, args);
        return count == null ? 0 : count;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
