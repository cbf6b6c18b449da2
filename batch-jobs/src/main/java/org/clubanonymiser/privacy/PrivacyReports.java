package org.clubanonymiser.privacy;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.clubanonymiser.privacy.PrivacyReport.CheckResult;
import org.clubanonymiser.privacy.PrivacyReport.Outcomes;
import org.clubanonymiser.privacy.PrivacyReport.Request;
import org.clubanonymiser.anonymisation.CreationDatePrecision;
import org.clubanonymiser.anonymisation.PrivacyProperties;
import org.clubanonymiser.support.database.InLists;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Builds {@link PrivacyReport}s from the ledger, the import records and the member tables, read-only. Every query is
 * set-based over the report's ledger rows ({@link #scope}); the verification and the indicator each read the member
 * table once per query, whatever the number of members. Nothing read here is personal: the checks return yes/no per
 * member from the database, the indicator group sizes. Stateless and thread-safe.
 */
public class PrivacyReports {

    /** The check of the configured creation-date precision, when one is set. */
    static final String CREATION_DATE_CHECK = "CREATION_DATE_PRECISION";

    private final NamedParameterJdbcTemplate jdbc;

    private final PrivacyProperties properties;

    private final Clock clock;

    private final String planVersion;

    public PrivacyReports(NamedParameterJdbcTemplate jdbc, PrivacyProperties properties, Clock clock,
            String planVersion) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
        this.planVersion = planVersion;
    }

    /** The report; an unknown import is an {@link IllegalArgumentException}. */
    public PrivacyReport build(ReportScope scope) {
        if (scope.kind() == ReportScope.Kind.IMPORT && !importExists(scope.importId())) {
            throw new IllegalArgumentException("No import " + scope.importId());
        }
        MapSqlParameterSource params = parameters(scope);
        List<Request> requests = requests(scope, params);
        Outcomes outcomes = outcomes(scope, params, requests);
        List<CheckResult> checks = checks(scope, params);
        ReidentificationIndicator indicator = indicator(scope, params, CreationDatePrecision.EXACT);
        List<ReidentificationIndicator> generalised = List.of(
                indicator(scope, params, CreationDatePrecision.DAY),
                indicator(scope, params, CreationDatePrecision.MONTH),
                indicator(scope, params, CreationDatePrecision.YEAR));
        return new PrivacyReport(scope, LocalDateTime.now(clock).truncatedTo(ChronoUnit.SECONDS), planVersion,
                planVersions(scope, params), properties.creationDatePrecision(), outcomes, requests, checks, indicator, generalised);
    }

    /** The club of an import ({@code empty} when unknown or refused before its club was known). */
    public Optional<Long> clubOfImport(long importId) {
        return jdbc.queryForList("select club_id from anonymisation_import where id = :id and club_id is not null",
                new MapSqlParameterSource("id", importId), Long.class).stream().findFirst();
    }

    /** The club of an anonymised member, as its ledger row says ({@code empty}: not anonymised). */
    public Optional<Long> clubOfAnonymisedMember(long memberId) {
        return jdbc.queryForList("select club_id from anonymisation_ledger where member_id = :id",
                new MapSqlParameterSource("id", memberId), Long.class).stream().findFirst();
    }

    private boolean importExists(long importId) {
        return !jdbc.queryForList("select id from anonymisation_import where id = :id",
                new MapSqlParameterSource("id", importId), Long.class).isEmpty();
    }

    /** The report's ledger rows, as a condition on the ledger row {@code alias}. */
    static String scope(ReportScope scope, String alias) {
        return switch (scope.kind()) {
            case IMPORT -> alias + ".import_id = :importId";
            case MEMBER -> alias + ".member_id = :memberId";
            case PERIOD -> alias + ".anonymised_at >= :from and " + alias + ".anonymised_at < :to"
                    + (scope.clubIds().isEmpty() ? "" : " and " + alias + ".club_id in (:clubs)");
        };
    }

    private static MapSqlParameterSource parameters(ReportScope scope) {
        MapSqlParameterSource params = new MapSqlParameterSource("yes", true).addValue("no", false);
        switch (scope.kind()) {
            case IMPORT -> params.addValue("importId", scope.importId());
            case MEMBER -> params.addValue("memberId", scope.memberId());
            case PERIOD -> params.addValue("from", Timestamp.valueOf(scope.from().atStartOfDay()))
                .addValue("to", Timestamp.valueOf(scope.to().plusDays(1).atStartOfDay()))
                .addValue("clubs", List.copyOf(scope.clubIds()));
        }
        return params;
    }

    private List<Request> requests(ReportScope scope, MapSqlParameterSource params) {
        List<Request> requests = new ArrayList<>();
        String imports = switch (scope.kind()) {
            case IMPORT -> "i.id = :importId";
            case MEMBER -> "i.id in (select l.import_id from anonymisation_ledger l where l.member_id = :memberId)";
            case PERIOD -> "i.dry_run = :no and i.created_at >= :from and i.created_at < :to"
                    + (scope.clubIds().isEmpty() ? "" : " and i.club_id in (:clubs)");
        };
        requests.addAll(jdbc.query("""
                select i.id, c.code, i.requested_by, i.created_at, i.status, i.failure_code, i.dry_run, i.rows_rejected,
                    (select count(*) from anonymisation_ledger l where l.import_id = i.id) as anonymised,
                    case when i.dry_run = :no and i.status in ('COMPLETED', 'COMPLETED_WITH_ERRORS') then
                        (select count(*) from anonymisation_export_member em where em.export_id = i.export_id
                            and not exists (select 1 from anonymisation_ledger l
                                where l.import_id = i.id and l.member_id = em.member_id)
                            and not exists (select 1 from anonymisation_import_rejection r
                                where r.import_id = i.id and r.member_id = em.member_id))
                    else 0 end as kept
                from anonymisation_import i left join club c on c.id = i.club_id
                where\s""" + imports + " order by i.id", params, (rs, n) -> {
                    String failure = rs.getString("failure_code");
                    return new Request("IMPORT", rs.getLong("id"), rs.getString("code"),
                            rs.getString("requested_by"), seconds(rs.getTimestamp("created_at")),
                            rs.getString("status") + (failure == null ? "" : " " + failure),
                            rs.getBoolean("dry_run"), rs.getLong("anonymised"), rs.getLong("rows_rejected"),
                            rs.getLong("kept"));
                }));
        // Single-member requests: those anonymised (the ledger row, so a period counts it by its anonymisation
        // time like every other) and those refused (the request record, by the time of the request).
        requests.addAll(jdbc.query("""
                select l.member_id, c.code, l.requested_by, l.anonymised_at
                from anonymisation_ledger l left join club c on c.id = l.club_id
                where l.source = 'SINGLE' and\s""" + scope(scope, "l") + " order by l.anonymised_at, l.member_id",
                params, (rs, n) -> new Request("SINGLE", rs.getLong("member_id"), rs.getString("code"),
                        rs.getString("requested_by"), seconds(rs.getTimestamp("anonymised_at")),
                        "ANONYMISED", false, 1, 0, 0)));
        requests.addAll(jdbc.query("""
                select r.member_id, c.code, r.requested_by, r.requested_at, r.refusal_code
                from anonymisation_request r left join club c on c.id = r.club_id
                where r.status = 'REFUSED' and\s""" + singleRequests(scope) + " order by r.requested_at, r.id",
                params, (rs, n) -> new Request("SINGLE", rs.getLong("member_id"), rs.getString("code"),
                        rs.getString("requested_by"), seconds(rs.getTimestamp("requested_at")),
                        "REFUSED " + rs.getString("refusal_code"), false, 0, 0, 0)));
        return requests;
    }

    private Map<String, Long> planVersions(ReportScope scope, MapSqlParameterSource params) {
        Map<String, Long> versions = new LinkedHashMap<>();
        jdbc.query("select l.plan_version, count(*) as n from anonymisation_ledger l where " + scope(scope, "l")
                + " group by l.plan_version order by l.plan_version", params, rs -> {
                    String version = rs.getString("plan_version");
                    versions.merge(version == null ? PrivacyReport.UNRECORDED : version, rs.getLong("n"), Long::sum);
                });
        return versions;
    }

    /** The single-member requests of the report, as a condition on {@code anonymisation_request r}. */
    private static String singleRequests(ReportScope scope) {
        return switch (scope.kind()) {
            case IMPORT -> "1 = 0";
            case MEMBER -> "r.member_id = :memberId";
            case PERIOD -> "r.requested_at >= :from and r.requested_at < :to"
                    + (scope.clubIds().isEmpty() ? "" : " and r.club_id in (:clubs)");
        };
    }

    private Outcomes outcomes(ReportScope scope, MapSqlParameterSource params, List<Request> requests) {
        Map<String, Object> anonymised = jdbc.queryForMap("""
                select count(*) as total, coalesce(sum(case when l.source = 'SINGLE' then 1 else 0 end), 0) as single
                from anonymisation_ledger l where\s""" + scope(scope, "l"), params);
        long total = count(anonymised, "total");
        long single = count(anonymised, "single");
        List<Long> importIds = requests.stream().filter(r -> "IMPORT".equals(r.source())).map(Request::id).toList();
        // By code; a period can hold more imports than one IN list takes on Oracle (1,000): summed over slices.
        Map<String, Long> rejected = new TreeMap<>();
        if (scope.kind() != ReportScope.Kind.MEMBER) {
            for (List<Long> slice : InLists.slices(importIds)) {
                jdbc.query("""
                        select r.code, count(*) as n from anonymisation_import_rejection r
                        where r.import_id in (:imports) group by r.code""", new MapSqlParameterSource("imports", slice),
                        rs -> {
                            rejected.merge(rs.getString("code"), rs.getLong("n"), Long::sum);
                        });
            }
        }
        Map<String, Long> refused = new LinkedHashMap<>();
        jdbc.query("select r.refusal_code, count(*) as n from anonymisation_request r where r.status = 'REFUSED' and "
                + singleRequests(scope) + " group by r.refusal_code order by r.refusal_code", params, rs -> {
                    refused.put(String.valueOf(rs.getString("refusal_code")), rs.getLong("n"));
                });
        long kept = scope.kind() == ReportScope.Kind.MEMBER ? 0
                : requests.stream().mapToLong(Request::keptByReviewer).sum();
        return new Outcomes(total, total - single, single, rejected, refused, kept);
    }

    private List<CheckResult> checks(ReportScope scope, MapSqlParameterSource params) {
        CreationDatePrecision precision = properties.creationDatePrecision();
        StringBuilder sql = new StringBuilder("select count(*) as members");
        for (AnonymisationCheck check : AnonymisationCheck.values()) {
            sql.append(",\n coalesce(sum(case when ").append(check.violation()).append(" then 1 else 0 end), 0) as ")
                .append(check.name());
        }
        sql.append(",\n coalesce(sum(case when ").append(precision.finerThan("m.created_at"))
            .append(" then 1 else 0 end), 0) as ").append(CREATION_DATE_CHECK);
        sql.append("\nfrom anonymisation_ledger l join member m on m.id = l.member_id where ").append(scope(scope, "l"));
        Map<String, Object> counts = jdbc.queryForMap(sql.toString(), params);
        List<CheckResult> results = new ArrayList<>();
        for (AnonymisationCheck check : AnonymisationCheck.values()) {
            results.add(new CheckResult(check.name(), check.description(), count(counts, check.name())));
        }
        if (precision != CreationDatePrecision.EXACT) {
            results.add(new CheckResult(CREATION_DATE_CHECK,
                    "creation date kept to the " + precision.name().toLowerCase(java.util.Locale.ROOT)
                            + " (anonymiser.privacy.creation-date-precision)",
                    count(counts, CREATION_DATE_CHECK)));
        }
        return results;
    }

    private ReidentificationIndicator indicator(ReportScope scope, MapSqlParameterSource params,
            CreationDatePrecision precision) {
        String key = String.join(", ", precision.groupKey("m.created_at"));
        String inScope = "case when l.member_id is not null then 1 else 0 end";
        ReidentificationIndicator.Builder builder = new ReidentificationIndicator.Builder(precision,
                properties.smallGroupSize());
        jdbc.query("select count(*) as group_size, sum(" + inScope + ") as in_scope\n"
                + "from member m left join anonymisation_ledger l on l.member_id = m.id and " + scope(scope, "l")
                + "\nwhere m.status = 'ANONYMISED' and m.club_id in (select s.club_id from anonymisation_ledger s where "
                + scope(scope, "s") + ")\ngroup by m.club_id, " + key + ", m.status\nhaving sum(" + inScope + ") > 0",
                params, rs -> {
                    builder.group(rs.getLong("group_size"), rs.getLong("in_scope"));
                });
        return builder.build();
    }

    /** A time as a report shows it: to the second. */
    private static LocalDateTime seconds(Timestamp time) {
        return time.toLocalDateTime().truncatedTo(ChronoUnit.SECONDS);
    }

    /** A count of {@code queryForMap}'s row (its keys are case-insensitive: H2 upper-cases them). */
    private static long count(Map<String, Object> counts, String column) {
        Object value = counts.get(column);
        return value == null ? 0 : ((Number) value).longValue();
    }
}
