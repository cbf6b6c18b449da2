package org.clubanonymiser.demo;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * The demo's clubs and users, a pure function of the number of clubs (and of the seed for the password hash).
 * <p>
 * Club {@code i} (1-based) is in city {@code (i - 1) % 20} of {@link DemoNames#CITIES}, numbered per city:
 * {@code PAR-01 Oxygène Paris 01}, {@code LYO-01}, … {@code BRE-01}, then {@code PAR-02}, …
 * <p>
 * Users (every password {@value #DEMO_PASSWORD}, for demos only):
 * <table>
 * <tr><th>username</th><th>id</th><th>role</th><th>right</th><th>clubs</th></tr>
 * <tr><td>{@code admin.multi}</td><td>1</td><td>ADMIN</td><td>(admin)</td><td>all</td></tr>
 * <tr><td>{@code manager}</td><td>2</td><td>MANAGER</td><td>no</td><td>all</td></tr>
 * <tr><td>{@code manager.granted}</td><td>3</td><td>MANAGER</td><td>granted</td><td>all</td></tr>
 * <tr><td>{@code staff}</td><td>4</td><td>STAFF</td><td>no</td><td>the first club</td></tr>
 * <tr><td>{@code admin.par01}, {@code admin.lyo01}, …</td><td>10 + club id</td><td>ADMIN</td><td>(admin)</td>
 * <td>their club only</td></tr>
 * </table>
 */
final class DemoDirectory {

    static final String DEMO_PASSWORD = "demo";

    static final String MULTI_SITE_ADMIN = "admin.multi";

    static final String MANAGER = "manager";

    static final String GRANTED_MANAGER = "manager.granted";

    static final String STAFF = "staff";

    /** Users other than the club admins; a club admin's id is this plus the club id. */
    static final long CLUB_ADMIN_ID_BASE = 10;

    private static final int BCRYPT_COST = 10;

    private DemoDirectory() {
    }

    record Club(long id, String code, String name, DemoNames.City city) {

        String adminUsername() {
            return "admin." + code.replace("-", "").toLowerCase(Locale.ROOT);
        }
    }

    record User(long id, String username, String displayName, String role, boolean massAnonymisationGranted,
            List<Long> clubIds) {
    }

    static List<Club> clubs(int count) {
        List<Club> clubs = new ArrayList<>(count);
        int cities = DemoNames.CITIES.size();
        for (int i = 0; i < count; i++) {
            DemoNames.City city = DemoNames.CITIES.get(i % cities);
            String number = String.format(Locale.ROOT, "%02d", i / cities + 1);
            clubs.add(new Club(i + 1, city.code() + "-" + number, "Oxygène " + city.name() + " " + number, city));
        }
        return clubs;
    }

    static List<User> users(List<Club> clubs) {
        List<Long> all = clubs.stream().map(Club::id).toList();
        List<User> users = new ArrayList<>();
        users.add(new User(1, MULTI_SITE_ADMIN, "Administrateur multi-sites", "ADMIN", false, all));
        users.add(new User(2, MANAGER, "Manager (sans le droit)", "MANAGER", false, all));
        users.add(new User(3, GRANTED_MANAGER, "Manager (droit accordé)", "MANAGER", true, all));
        users.add(new User(4, STAFF, "Accueil", "STAFF", false, List.of(clubs.get(0).id())));
        for (Club club : clubs) {
            users.add(new User(CLUB_ADMIN_ID_BASE + club.id(), club.adminUsername(), "Administrateur " + club.code(),
                    "ADMIN", false, List.of(club.id())));
        }
        return users;
    }

    /**
     * {@value #DEMO_PASSWORD} in Spring Security's {@code {bcrypt}} format. The salt comes from the seed, not from a
     * secure random source: the same seed must give byte-identical tables, and this password is public anyway.
     * Computed once per job (bcrypt is deliberately slow) and shared by every demo user.
     */
    static String passwordHash(long seed) {
        return "{bcrypt}" + BCrypt.hashpw(DEMO_PASSWORD, BCrypt.gensalt("$2a", BCRYPT_COST, new SeededSalt(seed)));
    }

    /** Only {@link #nextBytes(byte[])} is used, by {@link BCrypt#gensalt}. */
    @SuppressWarnings("serial")
    private static final class SeededSalt extends SecureRandom {

        private final transient SplittableRandom random;

        SeededSalt(long seed) {
            this.random = new SplittableRandom(seed);
        }

        @Override
        public void nextBytes(byte[] bytes) {
            random.nextBytes(bytes);
        }
    }
}
