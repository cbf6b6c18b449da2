package org.clubanonymiser.support.account;

import java.util.List;

import org.springframework.data.repository.Repository;

/** The clubs ({@code club}): read-only, as users, they are provisioned outside the product. */
public interface ClubRepository extends Repository<Club, Long> {

    List<Club> findAllByOrderByCode();
}
