package org.clubanonymiser.importing;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.JdbcTemplate;

/** Snapshots of every table holding member data, to prove what an import changed and what it left alone. */
final class MemberTables {

    /** Table → (member id column, order). */
    static final Map<String, String[]> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("member", new String[] { "id", "id" });
        TABLES.put("member_address", new String[] { "member_id", "member_id" });
        TABLES.put("member_phone", new String[] { "member_id", "id" });
        TABLES.put("member_consent", new String[] { "member_id", "member_id, channel" });
        TABLES.put("member_account", new String[] { "member_id", "member_id" });
        TABLES.put("badge", new String[] { "member_id", "id" });
        TABLES.put("visit", new String[] { "member_id", "id" });
        TABLES.put("booking", new String[] { "member_id", "id" });
        TABLES.put("purchase", new String[] { "member_id", "id" });
        TABLES.put("instalment", new String[] { "member_id", "id" });
        TABLES.put("invoice", new String[] { "member_id", "id" });
        TABLES.put("anonymisation_ledger", new String[] { "member_id", "member_id" });
    }

    /** Tables an anonymisation leaves unchanged (legal retention, statistics). */
    static final List<String> RETAINED = List.of("visit", "booking", "purchase", "instalment", "invoice");

    private MemberTables() {
    }

    /** Every row of every member table (plus retired badge numbers). */
    static Map<String, List<Map<String, Object>>> all(JdbcTemplate jdbc) {
        Map<String, List<Map<String, Object>>> snapshot = new LinkedHashMap<>();
        TABLES.forEach((table, columns) -> snapshot.put(table,
                jdbc.queryForList("select * from " + table + " order by " + columns[1])));
        snapshot.put("retired_badge_number",
                jdbc.queryForList("select * from retired_badge_number order by badge_number"));
        return snapshot;
    }

    /** The rows of these members in every member table. */
    static Map<String, List<Map<String, Object>>> of(JdbcTemplate jdbc, Collection<Long> memberIds) {
        String ids = memberIds.isEmpty() ? "-1"
                : memberIds.stream().map(String::valueOf).collect(Collectors.joining(","));
        Map<String, List<Map<String, Object>>> snapshot = new LinkedHashMap<>();
        TABLES.forEach((table, columns) -> snapshot.put(table, jdbc.queryForList(
                "select * from " + table + " where " + columns[0] + " in (" + ids + ") order by " + columns[1])));
        return snapshot;
    }

    static long count(JdbcTemplate jdbc, String table) {
        Long count = jdbc.queryForObject("select count(*) from " + table, Long.class);
        return count == null ? 0 : count;
    }
}
