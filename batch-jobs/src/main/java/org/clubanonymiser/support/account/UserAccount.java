package org.clubanonymiser.support.account;

import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.MappedCollection;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A row of {@code app_user} with its {@code app_user_club} rows: the aggregate the access rules and the login read.
 * The display name is not mapped (nothing here needs it, so it is never read). Users are provisioned outside the
 * product, so the aggregate is only ever read ({@link UserAccountRepository}).
 *
 * @param passwordHash Spring Security's {@code {id}hash}, for the login only
 * @param clubs        the clubs the user acts on
 */
@Table("app_user")
public record UserAccount(@Id long id, String username, String passwordHash, String role,
        boolean massAnonymisationGranted, @MappedCollection(idColumn = "user_id") Set<ClubGrant> clubs) {

    /** One {@code app_user_club} row of the user. */
    @Table("app_user_club")
    public record ClubGrant(long clubId) {
    }

    public Set<Long> clubIds() {
        return clubs.stream().map(ClubGrant::clubId).collect(Collectors.toUnmodifiableSet());
    }
}
