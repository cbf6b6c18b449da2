package org.clubanonymiser.eligibility;

/**
 * The SQL side of the eligibility rules (docs/reference.md#eligibility), shared by the export's reader (to fetch what
 * {@link EligibilityRules} judges, set-based, one index seek per activity table and member) and by the import's
 * anonymising writer (to re-check eligibility inside the writing transaction). Parameters are named: {@code :cutoff}
 * (timestamp, start of the cutoff day) and {@code :cutoffDate} (date). Portable across H2, PostgreSQL and Oracle.
 */
public final class EligibilitySql {

    private EligibilitySql() {
    }

    /** Columns of {@link MemberActivity} over {@code member m}; each subquery is served by a (member_id, date) index. */
    public static final String MEMBER_ACTIVITY_COLUMNS = """
            m.id, m.member_number, m.last_name, m.first_name, m.status, m.created_at, m.anonymised_at,
            (select a.balance from member_account a where a.member_id = m.id) as balance,
            (select max(v.visited_at) from visit v where v.member_id = m.id) as last_visit,
            (select max(b.booked_at) from booking b where b.member_id = m.id) as last_booked_at,
            (select max(b.starts_at) from booking b where b.member_id = m.id) as last_booking_start,
            (select max(p.purchased_at) from purchase p where p.member_id = m.id) as last_purchase,
            (select max(i.due_date) from instalment i where i.member_id = m.id) as last_instalment_due""";

    /**
     * True for every member whose standing the rules do not already fail on the member row alone: not anonymised, a
     * {@code PROSPECT} or {@code FORMER_CLIENT}, created before {@code :cutoff}. Weaker than
     * {@link EligibilityRules#standing} (no balance), so it holds for every member whose activity decides.
     */
    public static final String ACTIVITY_DECIDES = """
            m.anonymised_at is null and m.status in ('PROSPECT', 'FORMER_CLIENT') and m.created_at < :cutoff""";

    /**
     * The export reader's columns: those of {@link #MEMBER_ACTIVITY_COLUMNS}, but the five activity subqueries run only
     * for a member of whom {@link #ACTIVITY_DECIDES} holds (about 4 in 10 of the demo club) and are {@code null} for the
     * others, whose standing alone fails; {@code activity_read} (1 or 0) says which. {@link EligibilityRules} still judges
     * every member: the reader fails a member whose activity was left unread but whose standing passes. Measured: the
     * activity subqueries are most of what reading a member costs (benchmarks/RESULTS.md).
     */
    public static final String CANDIDATE_ACTIVITY_COLUMNS = """
            m.id, m.member_number, m.last_name, m.first_name, m.status, m.created_at, m.anonymised_at,
            (select a.balance from member_account a where a.member_id = m.id) as balance,
            case when %1$s then 1 else 0 end as activity_read,
            case when %1$s then (select max(v.visited_at) from visit v where v.member_id = m.id) end as last_visit,
            case when %1$s then (select max(b.booked_at) from booking b where b.member_id = m.id) end as last_booked_at,
            case when %1$s then (select max(b.starts_at) from booking b where b.member_id = m.id) end
                as last_booking_start,
            case when %1$s then (select max(p.purchased_at) from purchase p where p.member_id = m.id) end
                as last_purchase,
            case when %1$s then (select max(i.due_date) from instalment i where i.member_id = m.id) end
                as last_instalment_due""".formatted(ACTIVITY_DECIDES);

    /**
     * The part of {@link #ELIGIBLE_PREDICATE} that other transactions can change without touching the member row: a
     * zero balance and no activity since the cutoff. The anonymising writer checks it again after its UPDATE.
     */
    public static final String SETTLED_AND_INACTIVE_PREDICATE = """
            coalesce((select a.balance from member_account a where a.member_id = m.id), 0) = 0
            and not exists (select 1 from visit v where v.member_id = m.id and v.visited_at >= :cutoff)
            and not exists (select 1 from booking b where b.member_id = m.id and b.booked_at >= :cutoff)
            and not exists (select 1 from booking b where b.member_id = m.id and b.starts_at >= :cutoff)
            and not exists (select 1 from purchase p where p.member_id = m.id and p.purchased_at >= :cutoff)
            and not exists (select 1 from instalment i where i.member_id = m.id and i.due_date >= :cutoffDate)""";

    /**
     * True for an eligible member {@code m}: the same rules as {@link EligibilityRules}, as a predicate. Used in the
     * anonymising UPDATE's WHERE so that a member who came back between validation and write is never touched.
     */
    public static final String ELIGIBLE_PREDICATE = """
            m.status in ('PROSPECT', 'FORMER_CLIENT')
            and m.anonymised_at is null
            and m.created_at < :cutoff
            and\s""" + SETTLED_AND_INACTIVE_PREDICATE;
}
