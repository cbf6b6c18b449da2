package org.clubanonymiser.export;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.clubanonymiser.support.workbook.ExportedRow;
import org.clubanonymiser.testsupport.Rows;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One club with a member for every criterion and boundary of the eligibility rules (asOf 2026-03-31, 12 months: cutoff
 * 2025-03-31), a bulk of simple members spanning several chunks, a second club whose members must never appear, and
 * an ADMIN of both. {@link #expectedRows()} lists, by hand, what the export must contain.
 */
final class ExportScenario {

    static final LocalDate AS_OF = LocalDate.of(2026, 3, 31);

    static final int MONTHS = 12;

    static final LocalDateTime CUTOFF = LocalDateTime.of(2025, 3, 31, 0, 0);

    static final String FORMULA_LAST_NAME = "=SUM(A1:A2)";

    static final String AT_FIRST_NAME = "@home";

    static final String PLUS_FIRST_NAME = "+33 6 12 34 56 78";

    static final String MINUS_LAST_NAME = "-Dupont";

    final ExportTestData data;

    final long clubId;

    final String clubCode;

    final long otherClubId;

    final String admin;

    final List<Long> clubMembers = new ArrayList<>();

    final List<Long> otherClubMembers = new ArrayList<>();

    private final List<ExportedRow> expected = new ArrayList<>();

    ExportScenario(JdbcTemplate jdbc) {
        this.data = ExportTestData.next(jdbc);
        this.clubId = data.club(1);
        this.clubCode = data.clubCode(clubId);
        this.otherClubId = data.club(2);
        this.admin = data.user(1, "ADMIN", false, clubId, otherClubId);

        LocalDateTime created = LocalDateTime.of(2019, 6, 1, 10, 0);
        eligible(data.member(1, clubId), null, "NONE", created.toLocalDate());
        eligible(data.member(2, clubId).status("FORMER_CLIENT").visit(LocalDateTime.of(2024, 1, 10, 18, 30)),
                LocalDate.of(2024, 1, 10), "VISIT", null);
        ineligible(data.member(3, clubId).visit(CUTOFF));
        eligible(data.member(4, clubId).visit(CUTOFF.minusHours(5)), CUTOFF.minusHours(5).toLocalDate(), "VISIT",
                null);
        ineligible(data.member(5, clubId).booking(LocalDateTime.of(2023, 1, 1, 9, 0),
                LocalDateTime.of(2026, 5, 1, 9, 0)));
        ineligible(data.member(6, clubId).instalment(LocalDate.of(2026, 6, 5)));
        ineligible(data.member(7, clubId).createdAt(CUTOFF));
        ineligible(data.member(8, clubId).balance("-0.01"));
        ineligible(data.member(9, clubId).balance("0.01"));
        eligible(data.member(10, clubId).balance("0.00").purchase(LocalDateTime.of(2023, 6, 1, 12, 0)),
                LocalDate.of(2023, 6, 1), "PURCHASE", null);
        ineligible(data.member(11, clubId).status("CLIENT"));
        ineligible(data.member(12, clubId).status("ANONYMISED").anonymisedAt(LocalDateTime.of(2025, 1, 1, 0, 0)));
        eligible(data.member(13, clubId).number("-" + data.id(13)).names(FORMULA_LAST_NAME, AT_FIRST_NAME)
            .instalment(LocalDate.of(2022, 11, 30)), LocalDate.of(2022, 11, 30), "INSTALMENT", null);
        eligible(data.member(14, clubId).number("000" + data.id(14)).names("Müller", "Éloïse")
            .booking(LocalDateTime.of(2021, 2, 1, 8, 0), LocalDateTime.of(2021, 2, 3, 8, 0)),
                LocalDate.of(2021, 2, 3), "BOOKING", null);
        eligible(data.member(15, clubId).status("FORMER_CLIENT").names(MINUS_LAST_NAME, PLUS_FIRST_NAME)
            .createdAt(LocalDateTime.of(2024, 2, 29, 8, 0)), null, "NONE", LocalDate.of(2024, 2, 29));
        for (int n = 16; n <= 30; n++) {
            if (n % 2 == 0) {
                LocalDateTime visit = LocalDateTime.of(2023, n % 12 + 1, 15, 7, 45);
                eligible(data.member(n, clubId).visit(visit), visit.toLocalDate(), "VISIT", null);
            }
            else {
                ineligible(data.member(n, clubId).status("CLIENT").visit(LocalDateTime.of(2021, 1, 1, 7, 0)));
            }
        }
        for (int n = 101; n <= 105; n++) {
            otherClubMembers.add(data.member(n, otherClubId).insert());
        }
    }

    private void eligible(ExportTestData.Member member, LocalDate lastActivity, String kind, LocalDate created) {
        long id = member.insert();
        clubMembers.add(id);
        expected.add(clubMemberRow(id, lastActivity, kind, created));
    }

    private ExportedRow clubMemberRow(long id, LocalDate lastActivity, String kind, LocalDate created) {
        var values = Rows.map(data.jdbc(), "select member_number, last_name, first_name, status from member where id = ?",
                id);
        LocalDate reference = lastActivity != null ? lastActivity : created;
        return new ExportedRow(id, (String) values.get("member_number"), (String) values.get("last_name"),
                (String) values.get("first_name"), (String) values.get("status"), lastActivity, kind,
                (int) ChronoUnit.MONTHS.between(reference, AS_OF));
    }

    private void ineligible(ExportTestData.Member member) {
        clubMembers.add(member.insert());
    }

    /** The rows the export must hold, in member id order. */
    List<ExportedRow> expectedRows() {
        return expected.stream().sorted((a, b) -> Long.compare(a.memberId(), b.memberId())).toList();
    }

    List<Long> expectedIds() {
        return expectedRows().stream().map(ExportedRow::memberId).toList();
    }

    JobParameters parameters(String name) {
        return new JobParametersBuilder().addLong(ExportParameters.CLUB_ID, clubId)
            .addLong(ExportParameters.INACTIVITY_MONTHS, (long) MONTHS)
            .addString(ExportParameters.EXPORT_NAME, name + " " + clubId)
            .addString(ExportParameters.REQUESTED_BY, admin)
            .addLocalDate(ExportParameters.AS_OF, AS_OF)
            .toJobParameters();
    }
}
