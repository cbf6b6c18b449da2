package org.clubanonymiser.web.security;

import java.util.List;
import java.util.Set;

import org.clubanonymiser.support.UserAccess;
import org.clubanonymiser.support.UserAccess.AppUser;
import org.clubanonymiser.support.UserAccess.Decision;
import org.clubanonymiser.support.account.Club;
import org.clubanonymiser.support.account.ClubRepository;
import org.clubanonymiser.web.AccessRefusedException;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The signed-in user of the current request, as {@link UserAccess} sees it (read again on every request, so a right
 * withdrawn or a club removed applies at once), and the club checks every export, import, download and restart goes
 * through before anything is read or launched. Denials are {@link AccessRefusedException}s: 403, logged by
 * {@link DenialLogging} without personal data.
 */
public class CurrentUser {

    private final UserAccess userAccess;

    private final ClubRepository clubs;

    public CurrentUser(UserAccess userAccess, ClubRepository clubs) {
        this.userAccess = userAccess;
        this.clubs = clubs;
    }

    /** The signed-in user, who may anonymise (else refused). */
    public AppUser get() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        String username = authentication == null ? null : authentication.getName();
        AppUser user = userAccess.find(username)
            .orElseThrow(() -> new AccessRefusedException(Decision.UNKNOWN_USER));
        if (!user.mayAnonymise()) {
            throw new AccessRefusedException(Decision.PERMISSION_DENIED);
        }
        return user;
    }

    /** The signed-in user, when the club is among theirs (the same rule the jobs apply, {@link UserAccess#check}). */
    public AppUser forClub(long clubId) {
        AppUser user = get();
        Decision decision = userAccess.check(user.username(), clubId);
        if (decision != Decision.ALLOWED) {
            throw new AccessRefusedException(decision);
        }
        return user;
    }

    /**
     * The signed-in user, when the club of the record {@code what id} is among theirs; another club's record is
     * refused as if it did not exist ({@link AccessRefusedException#hidden}: 404, like an unknown id).
     */
    public AppUser forRecordOf(long clubId, String what, long id) {
        AppUser user = get();
        Decision decision = userAccess.check(user.username(), clubId);
        if (decision == Decision.FOREIGN_CLUB) {
            throw AccessRefusedException.hidden(decision, what, id);
        }
        if (decision != Decision.ALLOWED) {
            throw new AccessRefusedException(decision);
        }
        return user;
    }

    public Set<Long> clubs() {
        return get().clubIds();
    }

    /** The user's clubs with their code and name, by code: what a form's club list offers. */
    public List<Club> clubList() {
        Set<Long> own = clubs();
        return clubs.findAllByOrderByCode().stream().filter(club -> own.contains(club.id())).toList();
    }
}
