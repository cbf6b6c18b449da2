package org.clubanonymiser.metrics;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.clubanonymiser.eligibility.EligibilitySql;
import org.clubanonymiser.eligibility.InactivityPeriod;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The gauge {@value #METRIC}: per club (tag {@code club}, the club id), the members eligible for anonymisation at the
 * default threshold ({@value InactivityPeriod#DEFAULT_MONTHS} months, as of today). A scrape only reads the last
 * value: the counting happens in {@link #refresh()}, one set-based query per club with
 * {@link EligibilitySql#ELIGIBLE_PREDICATE}, which the application calls on a schedule
 * ({@code anonymiser.metrics.eligible-refresh}). A club appears after the first refresh that sees it. Thread-safe.
 */
public class EligibleMembersGauge {

    public static final String METRIC = "anonymiser.eligible.members";

    private static final String COUNT_SQL = "select count(*) from member m where m.club_id = :clubId and "
            + EligibilitySql.ELIGIBLE_PREDICATE;

    private final NamedParameterJdbcTemplate jdbc;

    private final MeterRegistry registry;

    private final Clock clock;

    private final Map<Long, AtomicLong> eligible = new ConcurrentHashMap<>();

    public EligibleMembersGauge(NamedParameterJdbcTemplate jdbc, MeterRegistry registry, Clock clock) {
        this.jdbc = jdbc;
        this.registry = registry;
        this.clock = clock;
    }

    /** Counts every club's eligible members again. */
    public void refresh() {
        InactivityPeriod period = new InactivityPeriod(LocalDate.now(clock), InactivityPeriod.DEFAULT_MONTHS);
        List<Long> clubs = jdbc.getJdbcTemplate().queryForList("select id from club order by id", Long.class);
        for (long clubId : clubs) {
            Long count = jdbc.queryForObject(COUNT_SQL, new MapSqlParameterSource("clubId", clubId)
                .addValue("cutoff", Timestamp.valueOf(period.cutoff().atStartOfDay()))
                .addValue("cutoffDate", Date.valueOf(period.cutoff())), Long.class);
            eligible.computeIfAbsent(clubId, this::register).set(count == null ? 0 : count);
        }
    }

    /** The last refreshed value of a club, if a refresh has seen it. */
    public OptionalLong value(long clubId) {
        AtomicLong value = eligible.get(clubId);
        return value == null ? OptionalLong.empty() : OptionalLong.of(value.get());
    }

    private AtomicLong register(long clubId) {
        AtomicLong value = new AtomicLong();
        Gauge.builder(METRIC, value, AtomicLong::get)
            .description("Members eligible for anonymisation at the default inactivity threshold, per club")
            .tag("club", Long.toString(clubId))
            .strongReference(true)
            .register(registry);
        return value;
    }
}
