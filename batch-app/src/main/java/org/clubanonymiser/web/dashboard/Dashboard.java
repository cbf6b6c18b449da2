package org.clubanonymiser.web.dashboard;

import java.util.List;

import org.clubanonymiser.eligibility.InactivityPeriod;
import org.clubanonymiser.metrics.EligibleMembersGauge;
import org.clubanonymiser.support.UserAccess.AppUser;
import org.clubanonymiser.web.security.CurrentUser;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The seed's dashboard alert: per club of the signed-in user, the members eligible for anonymisation at the default
 * threshold. The counts are the {@link EligibleMembersGauge}'s last refresh (hourly, and after every web-launched
 * job), never counted per request over the member table.
 */
public class Dashboard {

    /** One club's line; {@code eligibleMembers} is null until the first refresh has counted the club. */
    public record ClubCount(long clubId, String code, String name, Long eligibleMembers) {
    }

    /** The dashboard: the threshold it counts at and one line per club. */
    public record View(int inactivityMonths, List<ClubCount> clubs) {
    }

    private final EligibleMembersGauge gauge;

    private final CurrentUser currentUser;

    private final JdbcTemplate jdbc;

    public Dashboard(EligibleMembersGauge gauge, CurrentUser currentUser, JdbcTemplate jdbc) {
        this.gauge = gauge;
        this.currentUser = currentUser;
        this.jdbc = jdbc;
    }

    public View view() {
        AppUser user = currentUser.get();
        List<ClubCount> clubs = jdbc.query("select id, code, name from club order by code", (rs, n) -> {
            long id = rs.getLong("id");
            var count = gauge.value(id);
            return new ClubCount(id, rs.getString("code"), rs.getString("name"),
                    count.isPresent() ? count.getAsLong() : null);
        }).stream().filter(club -> user.clubIds().contains(club.clubId())).toList();
        return new View(InactivityPeriod.DEFAULT_MONTHS, clubs);
    }
}
