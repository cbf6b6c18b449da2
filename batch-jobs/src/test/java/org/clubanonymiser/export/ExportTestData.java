package org.clubanonymiser.export;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A small, fully controlled member base for the export tests, inserted with plain SQL and explicit dates (no demo
 * generator). Every call of {@link #next(JdbcTemplate)} gets its own id range, so test classes sharing a database
 * never collide.
 */
final class ExportTestData {

    private static final AtomicLong BASES = new AtomicLong();

    private final JdbcTemplate jdbc;

    private final long base;

    private final AtomicLong activityIds;

    private ExportTestData(JdbcTemplate jdbc, long base) {
        this.jdbc = jdbc;
        this.base = base;
        this.activityIds = new AtomicLong(base);
    }

    JdbcTemplate jdbc() {
        return jdbc;
    }

    static ExportTestData next(JdbcTemplate jdbc) {
        return new ExportTestData(jdbc, (BASES.incrementAndGet() + 10) * 1_000_000L);
    }

    /** An id in this data set's range: clubs, users and members each have their own table, so n may repeat. */
    long id(long n) {
        return base + n;
    }

    long club(long n) {
        long id = id(n);
        jdbc.update("insert into club (id, code, name) values (?, ?, ?)", id, "C" + id, "Club " + id);
        return id;
    }

    String clubCode(long clubId) {
        return "C" + clubId;
    }

    /** A user; returns the username. */
    String user(long n, String role, boolean granted, long... clubIds) {
        long id = id(n);
        String username = "user" + id;
        jdbc.update("""
                insert into app_user (id, username, display_name, password_hash, role, mass_anonymisation_granted)
                values (?, ?, ?, ?, ?, ?)""", id, username, "User " + id, "{noop}demo", role, granted);
        for (long clubId : clubIds) {
            jdbc.update("insert into app_user_club (user_id, club_id) values (?, ?)", id, clubId);
        }
        return username;
    }

    void grant(String username) {
        jdbc.update("update app_user set mass_anonymisation_granted = true where username = ?", username);
    }

    Member member(long n, long clubId) {
        return new Member(id(n), clubId);
    }

    /** A member being described; {@link #insert()} writes it and its activity. */
    final class Member {

        private final long id;

        private final long clubId;

        private String number;

        private String lastName;

        private String firstName;

        private String status = "PROSPECT";

        private LocalDateTime createdAt = LocalDateTime.of(2019, 6, 1, 10, 0);

        private LocalDateTime anonymisedAt;

        private BigDecimal balance;

        private final List<LocalDateTime> visits = new ArrayList<>();

        private final List<LocalDateTime[]> bookings = new ArrayList<>();

        private final List<LocalDateTime> purchases = new ArrayList<>();

        private final List<LocalDate> instalments = new ArrayList<>();

        private Member(long id, long clubId) {
            this.id = id;
            this.clubId = clubId;
            this.number = "M" + id;
            this.lastName = "Last" + id;
            this.firstName = "First" + id;
        }

        Member number(String value) {
            this.number = value;
            return this;
        }

        Member names(String last, String first) {
            this.lastName = last;
            this.firstName = first;
            return this;
        }

        Member status(String value) {
            this.status = value;
            return this;
        }

        Member createdAt(LocalDateTime value) {
            this.createdAt = value;
            return this;
        }

        Member anonymisedAt(LocalDateTime value) {
            this.anonymisedAt = value;
            return this;
        }

        Member balance(String value) {
            this.balance = new BigDecimal(value);
            return this;
        }

        Member visit(LocalDateTime value) {
            visits.add(value);
            return this;
        }

        Member booking(LocalDateTime bookedAt, LocalDateTime startsAt) {
            bookings.add(new LocalDateTime[] { bookedAt, startsAt });
            return this;
        }

        Member purchase(LocalDateTime value) {
            purchases.add(value);
            return this;
        }

        Member instalment(LocalDate value) {
            instalments.add(value);
            return this;
        }

        long insert() {
            jdbc.update("""
                    insert into member (id, member_number, club_id, status, first_name, last_name, email, birth_date,
                        notes, created_at, anonymised_at, sales_blocked, bookings_blocked)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false, false)""", id, number, clubId, status, firstName,
                    lastName, "m" + id + "@example.test", LocalDate.of(1980, 1, 1), "note", Timestamp.valueOf(createdAt),
                    anonymisedAt == null ? null : Timestamp.valueOf(anonymisedAt));
            if (balance != null) {
                jdbc.update("insert into member_account (member_id, balance) values (?, ?)", id, balance);
            }
            for (LocalDateTime visit : visits) {
                jdbc.update("insert into visit (id, member_id, club_id, visited_at) values (?, ?, ?, ?)",
                        activityIds.incrementAndGet(), id, clubId, Timestamp.valueOf(visit));
            }
            for (LocalDateTime[] booking : bookings) {
                jdbc.update("""
                        insert into booking (id, member_id, club_id, booked_at, starts_at, status)
                        values (?, ?, ?, ?, ?, 'CONFIRMED')""", activityIds.incrementAndGet(), id, clubId,
                        Timestamp.valueOf(booking[0]), Timestamp.valueOf(booking[1]));
            }
            for (LocalDateTime purchase : purchases) {
                jdbc.update("insert into purchase (id, member_id, club_id, purchased_at, amount) values (?, ?, ?, ?, 25.00)",
                        activityIds.incrementAndGet(), id, clubId, Timestamp.valueOf(purchase));
            }
            for (LocalDate due : instalments) {
                jdbc.update("insert into instalment (id, member_id, due_date, amount, status) values (?, ?, ?, 30.00, 'DUE')",
                        activityIds.incrementAndGet(), id, due);
            }
            return id;
        }
    }
}
