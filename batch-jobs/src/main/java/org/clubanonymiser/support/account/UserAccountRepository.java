package org.clubanonymiser.support.account;

import java.util.Optional;

import org.springframework.data.repository.Repository;

/**
 * The users ({@code app_user}, {@code app_user_club}): read-only, since users are provisioned outside the product
 * (the demo data and the seed scripts write them with SQL). Two statements per lookup: the user, then its clubs.
 */
public interface UserAccountRepository extends Repository<UserAccount, Long> {

    Optional<UserAccount> findByUsername(String username);
}
