package org.clubanonymiser.demo;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.clubanonymiser.support.database.DatabasePlatform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ParameterizedPreparedStatementSetter;

/**
 * Generates the members of a chunk of ids ({@link DemoMemberGenerator}) and inserts them with all their rows: one
 * JDBC batch per table per chunk, in foreign-key order, inside the chunk's transaction. A failed chunk rolls back
 * whole and is generated again, identically, on restart. Holds no state between chunks; logs counts only.
 */
class DemoMemberWriter implements ItemWriter<Long> {

    private static final Logger log = LoggerFactory.getLogger(DemoMemberWriter.class);

    private final JdbcTemplate jdbc;

    private final DemoMemberGenerator generator;

    private final Map<Long, Long> historyImportIdByClub;

    /** {@code member_phone}'s number column, quoted on Oracle (a reserved word there). */
    private final String phoneNumberColumn;

    /**
     * @param historyImportIdByClub the seeded past import of each club, referenced by the ledger rows of the
     *                              ANONYMISED members
     */
    DemoMemberWriter(JdbcTemplate jdbc, DemoMemberGenerator generator, Map<Long, Long> historyImportIdByClub) {
        this.jdbc = jdbc;
        this.generator = generator;
        this.historyImportIdByClub = Map.copyOf(historyImportIdByClub);
        this.phoneNumberColumn = DatabasePlatform.of(jdbc.getDataSource()).column("number");
    }

    /** A child row with the id of the member it belongs to. */
    private record Owned<T>(long memberId, T row) {
    }

    @Override
    public void write(Chunk<? extends Long> ids) {
        List<DemoMember> members = new ArrayList<>(ids.size());
        for (Long id : ids) {
            members.add(generator.generate(id));
        }
        insert("""
                insert into member (id, member_number, club_id, status, first_name, last_name, email, birth_date, notes,
                    created_at, anonymised_at, sales_blocked, bookings_blocked)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", members, (ps, m) -> {
            DemoMember.MemberRow row = m.member();
            ps.setLong(1, row.id());
            ps.setString(2, row.memberNumber());
            ps.setLong(3, row.clubId());
            ps.setString(4, row.status());
            ps.setString(5, row.firstName());
            ps.setString(6, row.lastName());
            setString(ps, 7, row.email());
            setDate(ps, 8, row.birthDate());
            setString(ps, 9, row.notes());
            setTimestamp(ps, 10, row.createdAt());
            setTimestamp(ps, 11, row.anonymisedAt());
            ps.setBoolean(12, row.salesBlocked());
            ps.setBoolean(13, row.bookingsBlocked());
        });
        insert("insert into member_address (member_id, line1, line2, postcode, city, country) values (?, ?, ?, ?, ?, ?)",
                members.stream().filter(m -> m.address() != null).toList(), (ps, m) -> {
                    ps.setLong(1, m.id());
                    setString(ps, 2, m.address().line1());
                    setString(ps, 3, m.address().line2());
                    setString(ps, 4, m.address().postcode());
                    setString(ps, 5, m.address().city());
                    setString(ps, 6, m.address().country());
                });
        insert("insert into member_phone (id, member_id, kind, " + phoneNumberColumn + ") values (?, ?, ?, ?)",
                owned(members, DemoMember::phones), (ps, o) -> {
                    ps.setLong(1, o.row().id());
                    ps.setLong(2, o.memberId());
                    ps.setString(3, o.row().kind());
                    ps.setString(4, o.row().number());
                });
        insert("insert into member_consent (member_id, channel, granted, updated_at) values (?, ?, ?, ?)",
                owned(members, DemoMember::consents), (ps, o) -> {
                    ps.setLong(1, o.memberId());
                    ps.setString(2, o.row().channel());
                    ps.setBoolean(3, o.row().granted());
                    setTimestamp(ps, 4, o.row().updatedAt());
                });
        insert("insert into member_account (member_id, balance) values (?, ?)",
                members.stream().filter(m -> m.balance() != null).toList(), (ps, m) -> {
                    ps.setLong(1, m.id());
                    ps.setBigDecimal(2, m.balance());
                });
        List<Owned<DemoMember.BadgeRow>> badges = owned(members, DemoMember::badges);
        insert("insert into badge (id, badge_number, member_id, status, assigned_at) values (?, ?, ?, ?, ?)", badges,
                (ps, o) -> {
                    ps.setLong(1, o.row().id());
                    ps.setString(2, o.row().badgeNumber());
                    ps.setLong(3, o.memberId());
                    ps.setString(4, o.row().status());
                    setTimestamp(ps, 5, o.row().assignedAt());
                });
        insert("insert into retired_badge_number (badge_number, retired_at) values (?, ?)",
                badges.stream().filter(o -> o.row().retiredAt() != null).toList(), (ps, o) -> {
                    ps.setString(1, o.row().badgeNumber());
                    setTimestamp(ps, 2, o.row().retiredAt());
                });
        insert("insert into visit (id, member_id, club_id, visited_at) values (?, ?, ?, ?)",
                owned(members, DemoMember::visits), (ps, o) -> {
                    setActivity(ps, o);
                    setTimestamp(ps, 4, o.row().visitedAt());
                });
        insert("insert into booking (id, member_id, club_id, booked_at, starts_at, status) values (?, ?, ?, ?, ?, ?)",
                owned(members, DemoMember::bookings), (ps, o) -> {
                    setActivity(ps, o);
                    setTimestamp(ps, 4, o.row().bookedAt());
                    setTimestamp(ps, 5, o.row().startsAt());
                    ps.setString(6, o.row().status());
                });
        insert("insert into purchase (id, member_id, club_id, purchased_at, amount) values (?, ?, ?, ?, ?)",
                owned(members, DemoMember::purchases), (ps, o) -> {
                    setActivity(ps, o);
                    setTimestamp(ps, 4, o.row().purchasedAt());
                    ps.setBigDecimal(5, o.row().amount());
                });
        insert("insert into instalment (id, member_id, due_date, amount, status) values (?, ?, ?, ?, ?)",
                owned(members, DemoMember::instalments), (ps, o) -> {
                    ps.setLong(1, o.row().id());
                    ps.setLong(2, o.memberId());
                    setDate(ps, 3, o.row().dueDate());
                    ps.setBigDecimal(4, o.row().amount());
                    ps.setString(5, o.row().status());
                });
        insert("insert into invoice (id, member_id, invoice_number, issued_at, amount) values (?, ?, ?, ?, ?)",
                owned(members, DemoMember::invoices), (ps, o) -> {
                    ps.setLong(1, o.row().id());
                    ps.setLong(2, o.memberId());
                    ps.setString(3, o.row().invoiceNumber());
                    setTimestamp(ps, 4, o.row().issuedAt());
                    ps.setBigDecimal(5, o.row().amount());
                });
        insert("""
                insert into anonymisation_ledger (member_id, club_id, import_id, anonymised_at, requested_by)
                values (?, ?, ?, ?, ?)""", members.stream().filter(m -> m.ledger() != null).toList(), (ps, m) -> {
            ps.setLong(1, m.id());
            ps.setLong(2, m.ledger().clubId());
            ps.setLong(3, historyImportId(m.ledger().clubId()));
            setTimestamp(ps, 4, m.ledger().anonymisedAt());
            ps.setString(5, m.ledger().requestedBy());
        });
        if (log.isDebugEnabled()) {
            log.debug("Demo data: members {} to {} inserted", members.get(0).id(), members.get(members.size() - 1).id());
        }
    }

    private long historyImportId(long clubId) {
        Long id = historyImportIdByClub.get(clubId);
        if (id == null) {
            throw new IllegalStateException("No seeded past import for club " + clubId);
        }
        return id;
    }

    /** The first three columns of an activity table: {@code id, member_id, club_id}. */
    private static void setActivity(PreparedStatement ps, Owned<? extends DemoMember.ActivityRow> owned)
            throws SQLException {
        ps.setLong(1, owned.row().id());
        ps.setLong(2, owned.memberId());
        ps.setLong(3, owned.row().clubId());
    }

    private <T> void insert(String sql, Collection<T> rows, ParameterizedPreparedStatementSetter<T> setter) {
        if (!rows.isEmpty()) {
            jdbc.batchUpdate(sql, rows, rows.size(), setter);
        }
    }

    private static <T> List<Owned<T>> owned(List<DemoMember> members, Function<DemoMember, List<T>> children) {
        List<Owned<T>> owned = new ArrayList<>();
        for (DemoMember member : members) {
            for (T child : children.apply(member)) {
                owned.add(new Owned<>(member.id(), child));
            }
        }
        return owned;
    }

    private static void setString(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        }
        else {
            ps.setString(index, value);
        }
    }

    // java.time values go through setObject: no conversion through the JVM's time zone (no DST gap shifts).
    private static void setTimestamp(PreparedStatement ps, int index, LocalDateTime value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.TIMESTAMP);
        }
        else {
            ps.setObject(index, value);
        }
    }

    private static void setDate(PreparedStatement ps, int index, LocalDate value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.DATE);
        }
        else {
            ps.setObject(index, value);
        }
    }
}
