package org.clubanonymiser.privacy;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.List;

import org.clubanonymiser.anonymisation.AnonymisationPlan;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A small, exact member base for the privacy report: two clubs, members left with their personal data (named
 * {@code Canary…}, so a test can prove no report ever carries them), and members anonymised as the plan says by three
 * imports (one per club now, one older in club 1). What each report must count is spelled out here.
 */
class PrivacyFixtures {

    static final long PAR = 1;

    static final long LYO = 2;

    /** Import 10 (club 1, export 5): 12 members anonymised, 2 rows rejected, 2 exported members left out. */
    static final long IMPORT = 10;

    static final long OLD_IMPORT = 9;

    static final long LYO_IMPORT = 11;

    static final long EXPORT = 5;

    static final List<Long> ANONYMISED = List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);

    static final LocalDateTime IMPORTED_AT = LocalDateTime.of(2026, 11, 20, 10, 0);

    static final String CANARY = "Canary";

    /** Club 1's member 60, anonymised on its own (request 9001); request 9002, for member 24, refused. */
    static final long SINGLE = 60;

    private final JdbcTemplate jdbc;

    PrivacyFixtures(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void clean() {
        for (String table : List.of("anonymisation_import_claim", "anonymisation_import_rejection",
                "anonymisation_ledger", "anonymisation_request", "anonymisation_import", "anonymisation_export_member",
                "anonymisation_export",
                "retired_badge_number", "badge", "visit", "booking", "purchase", "instalment", "invoice",
                "member_account", "member_consent", "member_phone", "member_address",
                "member", "app_user_club", "app_user", "club")) {
            jdbc.update("delete from " + table);
        }
    }

    /**
     * Club 1: members 1–12 anonymised by import 10, created in 2019 on days that make these groups by creation month:
     * January 1–5 (5), February 6–9 (4), March 10–11 (2), April 12 (1); plus members 40 and 41, anonymised by the
     * older import 9, created in January 2019 and in 2019-05. Members 20–23 exported but not anonymised (20, 21
     * rejected; 22, 23 left out of the file) and 24 never exported keep their data. Club 2: member 50 anonymised by
     * import 11.
     */
    void seed() {
        clean();
        jdbc.update("insert into club (id, code, name) values (?, 'PAR-01', 'Paris'), (?, 'LYO-01', 'Lyon')", PAR, LYO);
        int[][] created = { { 1, 3 }, { 1, 7 }, { 1, 12 }, { 1, 20 }, { 1, 28 }, { 2, 2 }, { 2, 9 }, { 2, 15 },
                { 2, 23 }, { 3, 4 }, { 3, 19 }, { 4, 11 } };
        for (int i = 0; i < ANONYMISED.size(); i++) {
            anonymisedMember(ANONYMISED.get(i), PAR, LocalDateTime.of(2019, created[i][0], created[i][1], 9 + i, 17, 42),
                    IMPORT, IMPORTED_AT);
        }
        anonymisedMember(40, PAR, LocalDateTime.of(2019, 1, 30, 18, 5, 0), OLD_IMPORT, LocalDateTime.of(2024, 3, 1, 9, 0));
        anonymisedMember(41, PAR, LocalDateTime.of(2019, 5, 2, 8, 0, 1), OLD_IMPORT, LocalDateTime.of(2024, 3, 1, 9, 0));
        anonymisedMember(50, LYO, LocalDateTime.of(2018, 6, 1, 12, 0, 0), LYO_IMPORT, IMPORTED_AT.plusDays(1));
        anonymisedMember(SINGLE, PAR, LocalDateTime.of(2017, 8, 8, 8, 8, 8), null, IMPORTED_AT.plusDays(2));
        jdbc.update("""
                insert into anonymisation_request (id, member_id, club_id, requested_by, reason, channel, status,
                    refusal_code, plan_version, requested_at)
                values (9001, ?, ?, 'manager.granted', null, 'PAGE', 'ANONYMISED', null, ?, ?),
                       (9002, 24, ?, 'manager.granted', null, 'API', 'REFUSED', 'NOT_SETTLED', null, ?)""", SINGLE, PAR,
                AnonymisationPlan.VERSION, Timestamp.valueOf(IMPORTED_AT.plusDays(2)), PAR,
                Timestamp.valueOf(IMPORTED_AT.plusDays(2)));
        for (long id = 20; id <= 24; id++) {
            personalMember(id, PAR);
        }
        jdbc.update("""
                insert into anonymisation_export (id, name, club_id, inactivity_months, as_of, cutoff, requested_by,
                    status, row_count, format_version, created_at)
                values (?, 'November', ?, 36, date '2026-11-19', date '2023-11-19', 'admin.par01', 'COMPLETED', 16, 1,
                    timestamp '2026-11-19 09:00:00')""", EXPORT, PAR);
        for (long id : List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 20L, 21L, 22L, 23L)) {
            jdbc.update("insert into anonymisation_export_member (export_id, member_id) values (?, ?)", EXPORT, id);
        }
        importRecord(IMPORT, EXPORT, PAR, "admin.par01", "COMPLETED_WITH_ERRORS", 14, 12, 2, IMPORTED_AT);
        importRecord(OLD_IMPORT, null, PAR, "admin.multi", "COMPLETED", 2, 2, 0, LocalDateTime.of(2024, 3, 1, 9, 0));
        importRecord(LYO_IMPORT, null, LYO, "admin.lyo01", "COMPLETED", 1, 1, 0, IMPORTED_AT.plusDays(1));
        jdbc.update("""
                insert into anonymisation_import_rejection (import_id, row_number, member_id, member_number, code, message)
                values (?, 2, 20, 'M-20', 'NO_LONGER_ELIGIBLE', 'came back'),
                       (?, 3, 21, 'M-21', 'CONTENT_MODIFIED', 'edited')""", IMPORT, IMPORT);
    }

    private void importRecord(long id, Long exportId, long clubId, String user, String status, long read,
            long anonymised, long rejected, LocalDateTime at) {
        jdbc.update("""
                insert into anonymisation_import (id, export_id, club_id, file_name, file_checksum, requested_by, status,
                    rows_read, members_anonymised, rows_rejected, created_at, completed_at)
                values (?, ?, ?, 'upload.xlsx', ?, ?, ?, ?, ?, ?, ?, ?)""", id, exportId, clubId, "0".repeat(64), user,
                status, read, anonymised, rejected, Timestamp.valueOf(at.minusMinutes(5)), Timestamp.valueOf(at));
    }

    /**
     * A member as anonymisation leaves it, with its ledger row: of an import (under the current plan, but
     * for the older import 9, from before plan versions were recorded), or of single-member request 9001 (an id above
     * those the database generates).
     */
    void anonymisedMember(long id, long clubId, LocalDateTime createdAt, Long importId, LocalDateTime at) {
        Timestamp when = Timestamp.valueOf(at);
        jdbc.update("""
                insert into member (id, member_number, club_id, status, first_name, last_name, email, birth_date, notes,
                    created_at, anonymised_at, sales_blocked, bookings_blocked)
                values (?, ?, ?, 'ANONYMISED', 'No', 'No', null, null, null, ?, ?, true, true)""", id, "M-" + id, clubId,
                Timestamp.valueOf(createdAt), when);
        jdbc.update("insert into member_address (member_id) values (?)", id);
        jdbc.update("insert into member_consent (member_id, channel, granted, updated_at) values (?, 'EMAIL', false, ?),"
                + " (?, 'SMS', false, ?)", id, when, id, when);
        jdbc.update("insert into badge (id, badge_number, member_id, status, assigned_at) values (?, ?, ?, 'RETIRED', ?)",
                id, "B-" + id, id, Timestamp.valueOf(createdAt));
        jdbc.update("insert into retired_badge_number (badge_number, retired_at) values (?, ?)", "B-" + id, when);
        jdbc.update("""
                insert into anonymisation_ledger (member_id, club_id, import_id, request_id, source, plan_version,
                    anonymised_at, requested_by)
                values (?, ?, ?, ?, ?, ?, ?, ?)""", id, clubId, importId, importId == null ? 9001L : null,
                importId == null ? "SINGLE" : "IMPORT",
                importId != null && importId == OLD_IMPORT ? null : AnonymisationPlan.VERSION, when,
                importId == null ? "manager.granted" : "admin.par01");
    }

    /** A member who keeps every personal value. */
    void personalMember(long id, long clubId) {
        jdbc.update("""
                insert into member (id, member_number, club_id, status, first_name, last_name, email, birth_date, notes,
                    created_at, sales_blocked, bookings_blocked)
                values (?, ?, ?, 'FORMER_CLIENT', ?, ?, ?, date '1980-02-03', 'Canary notes', timestamp '2019-01-05 10:00:00',
                    false, false)""", id, "M-" + id, clubId, CANARY + "First" + id, CANARY + "Last" + id,
                "canary" + id + "@example.org");
        jdbc.update("insert into member_address (member_id, line1, city) values (?, '1 Canary Street', 'Canaryville')", id);
        jdbc.update("insert into member_phone (id, member_id, kind, number) values (?, ?, 'MOBILE', '+33600000000')",
                1000 + id, id);
    }
}
