package org.clubanonymiser.demo;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.clubanonymiser.demo.DemoMember.AddressRow;
import org.clubanonymiser.demo.DemoMember.BadgeRow;
import org.clubanonymiser.demo.DemoMember.BookingRow;
import org.clubanonymiser.demo.DemoMember.ConsentRow;
import org.clubanonymiser.demo.DemoMember.InstalmentRow;
import org.clubanonymiser.demo.DemoMember.InvoiceRow;
import org.clubanonymiser.demo.DemoMember.LedgerRow;
import org.clubanonymiser.demo.DemoMember.MemberRow;
import org.clubanonymiser.demo.DemoMember.PhoneRow;
import org.clubanonymiser.demo.DemoMember.PurchaseRow;
import org.clubanonymiser.demo.DemoMember.VisitRow;

/**
 * Generates one demo member and all their rows, deterministically: everything about member {@code id} comes from
 * {@code new SplittableRandom(seed ^ id * 0x9E3779B97F4A7C15L)} and from {@code asOf}, never from the clock or from
 * other members, so chunk boundaries and restarts cannot change the data. Stateless and thread-safe.
 * <p>
 * <b>Distribution</b> (A = {@code asOf}; figures are draw probabilities):
 * <ul>
 * <li>Club: round robin, member {@code id} belongs to club {@code (id - 1) % clubs + 1}. Member number
 * {@code M0000001} = id.</li>
 * <li>Status: 2% {@code ANONYMISED}, 30% {@code CLIENT}, 40% {@code FORMER_CLIENT}, 28% {@code PROSPECT}.</li>
 * <li>Creation: over the 10 years before A, biased towards recent years (clubs grow). Former clients joined at
 * least 90 days before A and stayed 3 to 48 months (left before A); clients are still members.</li>
 * <li>Visits (8 years of history): members visit 0.05 to 0.45 times a week (mostly the low end) while a member, at
 * most 150 visits; 10% of visits at another club of the network; prospects 0 to 3 trial visits in their first two
 * weeks. About 18 visits per member on average.</li>
 * <li>Bookings: 15% of visits were booked beforehand (ATTENDED), 3% more CANCELLED or NO_SHOW; half the clients
 * have 1 to 3 future bookings (BOOKED, starting after A). About 3.7 per member.</li>
 * <li>Purchases: about one every 10 months while a member; 15% of prospects bought a day pass.</li>
 * <li>Instalments: 85% of (former) clients pay monthly on the 5th (PAID before A, SCHEDULED from A), the others
 * yearly; the last 24 months of a schedule are kept; clients' current schedule runs 1 to 12 months past A. About 13
 * per member. Invoices: one per membership year (and one per day pass).</li>
 * <li>Late activity of former clients and prospects, after they stopped coming: 6% a late booking (half of them
 * starting after A), 5% a late purchase, 8% of former clients late instalments (a schedule running to its term,
 * or a repayment plan around A, partly in the future).</li>
 * <li>Balance: 7% a debt, 4% an overpayment, 4% an explicit 0.00 row, the rest no row (0). 60% of debtors are
 * blocked from sales, 30% from bookings.</li>
 * <li>Identity: French-looking names from {@link DemoNames}; 90% an e-mail at a reserved example domain, 95% a birth
 * date (16 to 75 at joining), 20% a note; 92% an address (85% in the club's city); 0 to 3 phones (15/50/28/7%);
 * a consent row for each of the 5 channels; badges: clients 1 ACTIVE (15% also a lost INACTIVE one), former clients
 * 90% one INACTIVE, prospects 10% one INACTIVE. Badge numbers are a bijective scramble of
 * {@code id * 10 + n} (unique); invoice numbers are {@code F<id>-<n>}.</li>
 * <li>Anonymised members: former clients whose last activity is older than 36 months before a past mass
 * anonymisation 6 months before A, anonymised as the plan says (names {@code No}, e-mail, birth date and notes null,
 * address lines null, no phone, consents withdrawn, badges RETIRED and their numbers retired, sales and bookings
 * blocked, a ledger row); their visits, bookings, purchases, instalments and invoices are kept.</li>
 * </ul>
 * About 49 rows per member in all. At 36 months about 25% of members are eligible (12 months: 39%, 84 months: 6%)
 * and every {@code Ineligibility} reason occurs, future bookings and instalments included (see
 * {@code DemoMemberGeneratorTests}).
 */
final class DemoMemberGenerator {

    private static final long MIX = 0x9E3779B97F4A7C15L;

    /** The past mass anonymisation that produced the ANONYMISED members ran this many months before asOf. */
    static final int PREVIOUS_RUN_MONTHS_BEFORE_AS_OF = 6;

    static final int PREVIOUS_RUN_INACTIVITY_MONTHS = 36;

    private static final int MAX_VISITS = 150;

    /** The billing system keeps the last two years of a member's payment schedule; older ones are archived. */
    private static final int SCHEDULE_HISTORY_MONTHS = 24;

    private static final List<String> CHANNELS = List.of("EMAIL", "SMS", "POST", "PHONE", "PARTNERS");

    private static final int[] CONSENT_PERCENT = { 60, 45, 20, 15, 5 };

    private static final List<BigDecimal> MONTHLY_FEES = decimals("29.90", "34.90", "39.90", "44.90", "49.90");

    private static final List<BigDecimal> ANNUAL_FEES = decimals("349.00", "399.00", "449.00");

    private static final List<BigDecimal> PRODUCT_PRICES = decimals("2.50", "3.90", "4.50", "12.00", "15.00", "24.90",
            "29.00", "45.00", "59.00", "120.00");

    private static final BigDecimal DAY_PASS = new BigDecimal("15.00");

    enum Profile {
        ANONYMISED, CLIENT, FORMER_CLIENT, PROSPECT
    }

    private final long seed;

    private final LocalDate asOf;

    private final List<DemoDirectory.Club> clubs;

    private final LocalDate creationStart;

    private final LocalDate historyStart;

    private final LocalDateTime previousRun;

    /** Anonymised members' activity ended before this day (their eligibility at the previous run). */
    private final LocalDate anonymisedActivityEnd;

    DemoMemberGenerator(long seed, LocalDate asOf, List<DemoDirectory.Club> clubs) {
        this.seed = seed;
        this.asOf = asOf;
        this.clubs = List.copyOf(clubs);
        this.creationStart = asOf.minusYears(10);
        this.historyStart = asOf.minusYears(8);
        this.previousRun = previousRun(asOf);
        this.anonymisedActivityEnd = previousRun.toLocalDate().minusMonths(PREVIOUS_RUN_INACTIVITY_MONTHS);
    }

    /** When the past mass anonymisation of the demo history ran (its import records carry this time). */
    static LocalDateTime previousRun(LocalDate asOf) {
        return asOf.minusMonths(PREVIOUS_RUN_MONTHS_BEFORE_AS_OF).atTime(9, 30);
    }

    static String memberNumber(long memberId) {
        return String.format(Locale.ROOT, "M%07d", memberId);
    }

    DemoMember generate(long memberId) {
        return new Draft(memberId).build();
    }

    /** The rows of one member while they are drawn; all randomness from one generator, drawn in a fixed order. */
    private final class Draft {

        private final long id;

        private final SplittableRandom r;

        private final DemoDirectory.Club club;

        private final List<VisitRow> visits = new ArrayList<>();

        private final List<BookingRow> bookings = new ArrayList<>();

        private final List<PurchaseRow> purchases = new ArrayList<>();

        private final List<InstalmentRow> instalments = new ArrayList<>();

        private final List<InvoiceRow> invoices = new ArrayList<>();

        private final List<BadgeRow> badges = new ArrayList<>();

        Draft(long id) {
            this.id = id;
            this.r = new SplittableRandom(seed ^ (id * MIX));
            this.club = clubs.get((int) ((id - 1) % clubs.size()));
        }

        DemoMember build() {
            int draw = r.nextInt(1000);
            Profile profile = draw < 20 ? Profile.ANONYMISED
                    : draw < 320 ? Profile.CLIENT : draw < 720 ? Profile.FORMER_CLIENT : Profile.PROSPECT;
            LocalDate created;
            LocalDate end;
            switch (profile) {
                case ANONYMISED -> {
                    created = uniformDay(creationStart, anonymisedActivityEnd.minusMonths(3));
                    end = min(created.plusMonths(3 + r.nextInt(46)), anonymisedActivityEnd.minusDays(7));
                }
                case CLIENT -> {
                    created = recentDay(creationStart, asOf);
                    end = asOf;
                }
                case FORMER_CLIENT -> {
                    created = recentDay(creationStart, asOf.minusDays(90));
                    end = created.plusMonths(3 + r.nextInt(46));
                    if (!end.isBefore(asOf)) {
                        end = asOf.minusDays(1 + r.nextInt(60));
                    }
                }
                default -> {
                    created = recentDay(creationStart, asOf);
                    end = min(created.plusDays(1 + r.nextInt(14)), asOf);
                }
            }
            LocalDateTime createdAt = created.atTime(8 + r.nextInt(12), r.nextInt(60), r.nextInt(60));
            boolean contract = profile != Profile.PROSPECT;

            visits(profile, created, end);
            bookingsOfVisits(profile);
            BigDecimal monthly = null;
            if (contract) {
                monthly = memberships(profile, created, end);
            }
            else if (r.nextInt(100) < 15) {
                LocalDateTime when = min(created.plusDays(r.nextInt(4)), asOf.minusDays(1)).atTime(10 + r.nextInt(9),
                        r.nextInt(60));
                purchases.add(new PurchaseRow(childId(purchases.size()), club.id(), when, DAY_PASS));
                invoices.add(new InvoiceRow(childId(invoices.size()), invoiceNumber(invoices.size()), when, DAY_PASS));
            }
            if (profile == Profile.FORMER_CLIENT || profile == Profile.PROSPECT) {
                lateActivity(profile, end, monthly);
            }

            LocalDateTime anonymisedAt = profile == Profile.ANONYMISED ? previousRun.plusSeconds(r.nextInt(1800)) : null;
            BigDecimal balance = null;
            boolean debt = false;
            if (profile != Profile.ANONYMISED) {
                int b = r.nextInt(100);
                if (b < 7) {
                    balance = BigDecimal.valueOf(-(500 + r.nextInt(30000)), 2);
                    debt = true;
                }
                else if (b < 11) {
                    balance = BigDecimal.valueOf(100 + r.nextInt(12000), 2);
                }
                else if (b < 15) {
                    balance = BigDecimal.ZERO.setScale(2);
                }
            }
            boolean salesBlocked = anonymisedAt != null || (debt && r.nextInt(100) < 60);
            boolean bookingsBlocked = anonymisedAt != null || (debt && r.nextInt(100) < 30);

            MemberRow member = anonymisedAt != null
                    ? new MemberRow(id, memberNumber(id), club.id(), "ANONYMISED", "No", "No", null, null, null,
                            createdAt, anonymisedAt, true, true)
                    : identity(profile, created, createdAt, salesBlocked, bookingsBlocked);
            AddressRow address = address(anonymisedAt != null);
            List<PhoneRow> phones = anonymisedAt != null ? List.of() : phones();
            List<ConsentRow> consents = consents(createdAt, anonymisedAt);
            badges(profile, createdAt, end, anonymisedAt);
            LedgerRow ledger = anonymisedAt == null ? null
                    : new LedgerRow(club.id(), anonymisedAt, club.adminUsername());
            return new DemoMember(member, address, phones, consents, balance, List.copyOf(badges),
                    List.copyOf(visits), List.copyOf(bookings), List.copyOf(purchases), List.copyOf(instalments),
                    List.copyOf(invoices), ledger);
        }

        private void visits(Profile profile, LocalDate created, LocalDate end) {
            LocalDate from = max(created, historyStart);
            long days = ChronoUnit.DAYS.between(from, end);
            if (days <= 0) {
                return;
            }
            int count;
            if (profile == Profile.PROSPECT) {
                count = r.nextInt(4);
            }
            else {
                double x = r.nextDouble();
                double perWeek = 0.05 + 0.4 * x * x;
                count = (int) Math.min(MAX_VISITS, Math.round(days / 7.0 * perWeek));
            }
            long[] seconds = new long[count];
            for (int i = 0; i < count; i++) {
                long day = from.toEpochDay() + r.nextLong(days);
                seconds[i] = day * 86_400 + 6 * 3_600 + r.nextInt(16 * 3_600);
            }
            Arrays.sort(seconds);
            for (long second : seconds) {
                visits.add(new VisitRow(childId(visits.size()), visitedClub(),
                        LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC)));
            }
        }

        private long visitedClub() {
            if (clubs.size() > 1 && r.nextInt(10) == 0) {
                return clubs.get(r.nextInt(clubs.size())).id();
            }
            return club.id();
        }

        private void bookingsOfVisits(Profile profile) {
            LocalDateTime asOfStart = asOf.atStartOfDay();
            for (VisitRow visit : visits) {
                int draw = r.nextInt(100);
                if (draw < 15) {
                    LocalDateTime starts = visit.visitedAt().truncatedTo(ChronoUnit.HOURS);
                    bookings.add(new BookingRow(childId(bookings.size()), visit.clubId(),
                            starts.minusHours(2 + r.nextInt(24 * 6)), starts, "ATTENDED"));
                }
                else if (draw < 18) {
                    LocalDateTime starts = visit.visitedAt().plusDays(2).truncatedTo(ChronoUnit.HOURS);
                    if (starts.isBefore(asOfStart)) {
                        bookings.add(new BookingRow(childId(bookings.size()), visit.clubId(),
                                starts.minusHours(2 + r.nextInt(48)), starts, r.nextBoolean() ? "CANCELLED" : "NO_SHOW"));
                    }
                }
            }
            if (profile == Profile.CLIENT && r.nextBoolean()) {
                int future = 1 + r.nextInt(3);
                for (int i = 0; i < future; i++) {
                    LocalDateTime booked = asOf.minusDays(1 + r.nextInt(10)).atTime(7 + r.nextInt(15), r.nextInt(60));
                    LocalDateTime starts = asOf.plusDays(1 + r.nextInt(21)).atTime(7 + r.nextInt(14), 0);
                    bookings.add(new BookingRow(childId(bookings.size()), club.id(), booked, starts, "BOOKED"));
                }
            }
        }

        /** Purchases, the payment schedule and invoices of a (former) client; returns the monthly fee, if any. */
        private BigDecimal memberships(Profile profile, LocalDate created, LocalDate end) {
            long spanDays = Math.max(1, ChronoUnit.DAYS.between(created, end));
            int count = (int) Math.min(40, spanDays / 30.0 * 0.1 * (0.5 + r.nextDouble()));
            long[] days = new long[count];
            for (int i = 0; i < count; i++) {
                days[i] = created.toEpochDay() + r.nextLong(spanDays);
            }
            Arrays.sort(days);
            for (long day : days) {
                purchases.add(new PurchaseRow(childId(purchases.size()), club.id(),
                        LocalDate.ofEpochDay(day).atTime(7 + r.nextInt(15), r.nextInt(60), r.nextInt(60)),
                        pick(PRODUCT_PRICES)));
            }
            boolean monthlyPayer = r.nextInt(100) < 85;
            BigDecimal monthly = monthlyPayer ? pick(MONTHLY_FEES) : null;
            BigDecimal yearly = monthlyPayer ? monthly.multiply(BigDecimal.valueOf(12)) : pick(ANNUAL_FEES);
            if (monthlyPayer) {
                LocalDate scheduleEnd = profile == Profile.CLIENT ? asOf.plusMonths(1 + r.nextInt(12)) : end;
                LocalDate kept = min(end, asOf).minusMonths(SCHEDULE_HISTORY_MONTHS);
                for (LocalDate due = created.plusMonths(1).withDayOfMonth(5); due.isBefore(scheduleEnd);
                        due = due.plusMonths(1)) {
                    if (!due.isBefore(kept)) {
                        addInstalment(due, monthly);
                    }
                }
            }
            for (int year = 0; created.plusYears(year).isBefore(end); year++) {
                invoices.add(new InvoiceRow(childId(invoices.size()), invoiceNumber(invoices.size()),
                        created.plusYears(year).atTime(10, 0), yearly));
            }
            return monthly;
        }

        private void lateActivity(Profile profile, LocalDate end, BigDecimal monthly) {
            LocalDate lastDay = min(end, asOf.minusDays(1));
            if (r.nextInt(100) < 6) {
                LocalDateTime booked;
                LocalDateTime starts;
                if (r.nextBoolean()) {
                    booked = max(asOf.minusDays(1 + r.nextInt(30)), lastDay).atTime(8 + r.nextInt(12), r.nextInt(60));
                    starts = asOf.plusDays(1 + r.nextInt(30)).atTime(7 + r.nextInt(14), 0);
                }
                else {
                    booked = uniformDay(lastDay, asOf).atTime(8 + r.nextInt(12), r.nextInt(60));
                    starts = booked.toLocalDate().plusDays(1 + r.nextInt(7)).atTime(7 + r.nextInt(14), 0);
                }
                String status = starts.isBefore(asOf.atStartOfDay()) ? "NO_SHOW" : "BOOKED";
                bookings.add(new BookingRow(childId(bookings.size()), club.id(), booked, starts, status));
            }
            if (r.nextInt(100) < 5) {
                purchases.add(new PurchaseRow(childId(purchases.size()), club.id(),
                        uniformDay(lastDay, asOf).atTime(9 + r.nextInt(11), r.nextInt(60)), pick(PRODUCT_PRICES)));
            }
            if (profile == Profile.FORMER_CLIENT && r.nextInt(100) < 8) {
                if (r.nextBoolean()) {
                    // The commitment runs to its term although the member stopped coming.
                    LocalDate due = instalments.isEmpty() ? end.withDayOfMonth(5).plusMonths(1)
                            : instalments.get(instalments.size() - 1).dueDate().plusMonths(1);
                    BigDecimal amount = monthly != null ? monthly : pick(MONTHLY_FEES);
                    for (int i = 3 + r.nextInt(34); i > 0; i--, due = due.plusMonths(1)) {
                        addInstalment(due, amount);
                    }
                }
                else {
                    // A repayment plan agreed recently, partly still to come.
                    LocalDate due = asOf.minusMonths(r.nextInt(7)).withDayOfMonth(10);
                    BigDecimal amount = BigDecimal.valueOf(5_000 + r.nextInt(15_000), 2);
                    for (int i = 3 + r.nextInt(10); i > 0; i--, due = due.plusMonths(1)) {
                        addInstalment(due, amount);
                    }
                }
            }
        }

        private void addInstalment(LocalDate due, BigDecimal amount) {
            instalments.add(new InstalmentRow(childId(instalments.size()), due, amount,
                    due.isBefore(asOf) ? "PAID" : "SCHEDULED"));
        }

        private MemberRow identity(Profile profile, LocalDate created, LocalDateTime createdAt, boolean salesBlocked,
                boolean bookingsBlocked) {
            String firstName = pick(DemoNames.FIRST_NAMES);
            String lastName = pick(DemoNames.LAST_NAMES);
            LocalDate birthDate = r.nextInt(100) < 95
                    ? created.minusYears(16 + r.nextInt(60)).minusDays(r.nextInt(365)) : null;
            String email = null;
            if (r.nextInt(100) < 90) {
                String suffix = r.nextInt(100) < 30 ? String.format(Locale.ROOT, "%02d", r.nextInt(100)) : "";
                email = mailPart(firstName) + "." + mailPart(lastName) + suffix + "@" + pick(DemoNames.MAIL_DOMAINS);
            }
            String notes = r.nextInt(100) < 20 ? pick(DemoNames.NOTES) : null;
            return new MemberRow(id, memberNumber(id), club.id(), profile.name(), firstName, lastName, email,
                    birthDate, notes, createdAt, null, salesBlocked, bookingsBlocked);
        }

        private AddressRow address(boolean anonymised) {
            if (r.nextInt(100) >= 92) {
                return null;
            }
            if (anonymised) {
                return new AddressRow(null, null, null, null, null);
            }
            DemoNames.City city = r.nextInt(100) < 85 ? club.city() : pick(DemoNames.CITIES);
            String line1 = (1 + r.nextInt(120)) + " " + pick(DemoNames.STREET_TYPES) + " "
                    + pick(DemoNames.STREET_NAMES);
            String line2 = r.nextInt(100) < 10 ? pick(DemoNames.SECOND_LINES) : null;
            return new AddressRow(line1, line2, pick(city.postcodes()), city.name(), "FR");
        }

        private List<PhoneRow> phones() {
            int draw = r.nextInt(100);
            int count = draw < 15 ? 0 : draw < 65 ? 1 : draw < 93 ? 2 : 3;
            List<String> kinds = count == 1 ? List.of(r.nextInt(100) < 80 ? "MOBILE" : "HOME")
                    : List.of("MOBILE", "HOME", "WORK").subList(0, count);
            List<PhoneRow> phones = new ArrayList<>(count);
            for (String kind : kinds) {
                int prefix = "MOBILE".equals(kind) ? 6 + r.nextInt(2) : 1 + r.nextInt(5);
                phones.add(new PhoneRow(childId(phones.size()), kind, String.format(Locale.ROOT,
                        "0%d %02d %02d %02d %02d", prefix, r.nextInt(100), r.nextInt(100), r.nextInt(100),
                        r.nextInt(100))));
            }
            return phones;
        }

        private List<ConsentRow> consents(LocalDateTime createdAt, LocalDateTime anonymisedAt) {
            List<ConsentRow> consents = new ArrayList<>(CHANNELS.size());
            long daysToAsOf = ChronoUnit.DAYS.between(createdAt.toLocalDate(), asOf);
            for (int i = 0; i < CHANNELS.size(); i++) {
                boolean granted = r.nextInt(100) < CONSENT_PERCENT[i];
                LocalDateTime updated = daysToAsOf > 1
                        ? createdAt.plusDays(r.nextLong(Math.min(365, daysToAsOf))) : createdAt;
                consents.add(anonymisedAt != null ? new ConsentRow(CHANNELS.get(i), false, anonymisedAt)
                        : new ConsentRow(CHANNELS.get(i), granted, updated));
            }
            return consents;
        }

        private void badges(Profile profile, LocalDateTime createdAt, LocalDate end, LocalDateTime anonymisedAt) {
            switch (profile) {
                case CLIENT -> {
                    long days = ChronoUnit.DAYS.between(createdAt.toLocalDate(), end);
                    if (r.nextInt(100) < 15 && days > 31) {
                        addBadge("INACTIVE", createdAt, null);
                        addBadge("ACTIVE", createdAt.plusDays(30 + r.nextLong(days - 30)), null);
                    }
                    else {
                        addBadge("ACTIVE", createdAt, null);
                    }
                }
                case FORMER_CLIENT -> {
                    if (r.nextInt(100) < 90) {
                        addBadge("INACTIVE", createdAt, null);
                    }
                }
                case PROSPECT -> {
                    if (r.nextInt(100) < 10) {
                        addBadge("INACTIVE", createdAt, null);
                    }
                }
                case ANONYMISED -> {
                    if (r.nextInt(100) < 90) {
                        addBadge("RETIRED", createdAt, anonymisedAt);
                    }
                }
            }
        }

        private void addBadge(String status, LocalDateTime assignedAt, LocalDateTime retiredAt) {
            int n = badges.size();
            badges.add(new BadgeRow(childId(n), badgeNumber(id, n), status, assignedAt, retiredAt));
        }

        private long childId(int n) {
            return id * DemoMember.CHILD_IDS_PER_MEMBER + n;
        }

        private String invoiceNumber(int n) {
            return String.format(Locale.ROOT, "F%07d-%02d", id, n);
        }

        private <T> T pick(List<T> values) {
            return values.get(r.nextInt(values.size()));
        }

        private LocalDate uniformDay(LocalDate from, LocalDate toExclusive) {
            long days = ChronoUnit.DAYS.between(from, toExclusive);
            return days <= 0 ? from : from.plusDays(r.nextLong(days));
        }

        /** A day in [from, to), more likely recent: the member base grew over the years. */
        private LocalDate recentDay(LocalDate from, LocalDate toExclusive) {
            long days = ChronoUnit.DAYS.between(from, toExclusive);
            double position = r.nextDouble();
            if (r.nextInt(100) < 50) {
                position = Math.max(position, r.nextDouble());
            }
            return from.plusDays(Math.min(days - 1, (long) (position * days)));
        }
    }

    /**
     * Badge numbers look random but are a bijection of {@code memberId * 10 + n} (multiplication by 3^18, prime to
     * 10^9): unique without any lookup, for up to 10^8 members.
     */
    static String badgeNumber(long memberId, int n) {
        long scrambled = (memberId * 10 + n) * 387_420_489L % 1_000_000_000L;
        return String.format(Locale.ROOT, "B%09d", scrambled);
    }

    private static String mailPart(String name) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z-]", "");
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }

    private static LocalDate max(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }

    private static List<BigDecimal> decimals(String... values) {
        return Arrays.stream(values).map(BigDecimal::new).toList();
    }
}
