package org.clubanonymiser.anonymisation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What anonymising a member does, declared once for <b>every column of every table that holds member data</b>
 * (docs/reference.md#anonymisation-plan): erased to a constant, nulled, set to the anonymised state, rows deleted,
 * badge numbers retired, or kept, each kept column with its reason. Both the import's {@code AnonymisingWriter} and the
 * single-member path run the SQL that {@link PlanExecutor} generates from this plan, and nothing else erases member
 * data.
 * <p>
 * {@code AnonymisationPlanSchemaTests} reads the database's own metadata (H2 and PostgreSQL) and fails when a table
 * with a {@code member_id} column, or a column of a planned table, is not declared here: a migration that adds
 * {@code member.instagram_handle} breaks the build until someone decides what happens to it. The anonymisation table of
 * docs/reference.md is {@link #markdownTable()}, checked by a test. Change {@link #VERSION} whenever the effect of the
 * plan changes: the ledger records the version that erased each member.
 */
public final class AnonymisationPlan {

    /** Recorded in every ledger row and single-member request: which plan erased the member. */
    public static final String VERSION = "2026.12-1";

    /** What happens to one column. */
    public enum Treatment {
        /** Replaced by a constant that says nothing about the person. */
        ERASED,
        /** Set to null. */
        NULLED,
        /** Set to the anonymised state (status, timestamps, blocking flags, withdrawn consent). */
        SET,
        /** The whole row is deleted. */
        DELETED,
        /** Kept, and the value may never be used again ({@code retired_badge_number}). */
        RETIRED,
        /** Kept unchanged, for the reason given. */
        KEPT,
        /**
         * Kept, truncated to {@code anonymiser.privacy.creation-date-precision} (as stored by default): a
         * quasi-identifier made less precise, see {@link CreationDatePrecision}.
         */
        GENERALISED
    }

    /** What happens to a table's rows of the member. */
    public enum RowAction {
        /** The member's rows stay; their columns are treated one by one. */
        UPDATE,
        /** The member's rows are deleted. */
        DELETE,
        /** The member's rows stay untouched (history, legal retention). */
        KEEP
    }

    /**
     * One column's fate.
     *
     * @param value the SQL value written (a literal or a named parameter: {@code :now}, {@code :yes}, {@code :no}),
     *              for {@link Treatment#ERASED} and {@link Treatment#SET} only
     * @param why   what it is and why it is treated so (the reason, for a kept column)
     */
    public record Column(String name, Treatment treatment, String value, String why) {

        public Column {
            if ((treatment == Treatment.ERASED || treatment == Treatment.SET) == (value == null)) {
                throw new IllegalArgumentException(name + ": a value for ERASED and SET only");
            }
            if (why == null || why.isBlank()) {
                throw new IllegalArgumentException(name + ": every column says why");
            }
        }
    }

    /**
     * A member-data table.
     *
     * @param memberKey the column naming the member ({@code id} for {@code member} itself)
     */
    public record Table(String name, String memberKey, RowAction rows, List<Column> columns) {

        public Table {
            columns = List.copyOf(columns);
        }

        public Optional<Column> column(String columnName) {
            return columns.stream().filter(c -> c.name().equalsIgnoreCase(columnName)).findFirst();
        }
    }

    private static final String KEY = "key: links the row to the member, or identifies the row";

    private static final String HISTORY = "history: activity kept for statistics and legal retention; no identity";

    private static final String INVOICE = "invoice retention: accounting records are kept for their legal period";

    private static final List<Table> TABLES = List.of(
            new Table("member", "id", RowAction.UPDATE, List.of(
                    kept("id", KEY),
                    kept("member_number", "key: the club's own reference, on invoices and badges; not a person's"
                            + " attribute"),
                    kept("club_id", "key: which club (statistics, access rules)"),
                    set("status", "'ANONYMISED'", "state: the member is anonymised"),
                    erased("first_name", "'No'", "identity (NOT NULL column: a constant)"),
                    erased("last_name", "'No'", "identity (NOT NULL column: a constant)"),
                    nulled("email", "identity, contact"),
                    nulled("birth_date", "identity"),
                    nulled("notes", "free text: may hold anything about the person"),
                    new Column("created_at", Treatment.GENERALISED, null, "history: when the membership began;"
                            + " a quasi-identifier, kept to `anonymiser.privacy.creation-date-precision` (see Privacy)"),
                    set("anonymised_at", ":now", "state: when the member was anonymised"),
                    set("sales_blocked", ":yes", "state: nothing may be sold to an anonymised member"),
                    set("bookings_blocked", ":yes", "state: nothing may be booked for an anonymised member"))),
            new Table("member_address", "member_id", RowAction.UPDATE, List.of(
                    kept("member_id", KEY),
                    nulled("line1", "address"),
                    nulled("line2", "address"),
                    nulled("postcode", "address"),
                    nulled("city", "address"),
                    nulled("country", "address"))),
            new Table("member_phone", "member_id", RowAction.DELETE, List.of(
                    deleted("id", "row deleted with the number"),
                    deleted("member_id", "row deleted with the number"),
                    deleted("kind", "row deleted with the number"),
                    deleted("number", "contact: the phone number"))),
            new Table("member_consent", "member_id", RowAction.UPDATE, List.of(
                    kept("member_id", KEY),
                    kept("channel", KEY + " (EMAIL, SMS, POST, PHONE, PARTNERS)"),
                    set("granted", ":no", "every consent withdrawn"),
                    set("updated_at", ":now", "when the consent was withdrawn"))),
            new Table("member_account", "member_id", RowAction.UPDATE, List.of(
                    kept("member_id", KEY),
                    kept("balance", "accounting: exactly 0 for any anonymised member (a rule of eligibility)"))),
            new Table("badge", "member_id", RowAction.UPDATE, List.of(
                    kept("id", KEY),
                    new Column("badge_number", Treatment.RETIRED, null,
                            "key: listed in retired_badge_number, never assigned again (a database trigger refuses"
                                    + " it)"),
                    kept("member_id", KEY),
                    set("status", "'RETIRED'", "state: the badge no longer opens the club"),
                    kept("assigned_at", HISTORY))),
            new Table("visit", "member_id", RowAction.KEEP, List.of(
                    kept("id", KEY), kept("member_id", KEY), kept("club_id", KEY), kept("visited_at", HISTORY))),
            new Table("booking", "member_id", RowAction.KEEP, List.of(
                    kept("id", KEY), kept("member_id", KEY), kept("club_id", KEY), kept("booked_at", HISTORY),
                    kept("starts_at", HISTORY), kept("status", HISTORY))),
            new Table("purchase", "member_id", RowAction.KEEP, List.of(
                    kept("id", KEY), kept("member_id", KEY), kept("club_id", KEY), kept("purchased_at", HISTORY),
                    kept("amount", HISTORY))),
            new Table("instalment", "member_id", RowAction.KEEP, List.of(
                    kept("id", KEY), kept("member_id", KEY), kept("due_date", HISTORY), kept("amount", HISTORY),
                    kept("status", HISTORY))),
            new Table("invoice", "member_id", RowAction.KEEP, List.of(
                    kept("id", KEY), kept("member_id", KEY), kept("invoice_number", INVOICE),
                    kept("issued_at", INVOICE), kept("amount", INVOICE))));

    /**
     * Tables with a {@code member_id} column that are the product's own records, not member data: each with why it
     * may name a member. The schema test accepts these and nothing else outside {@link #tables()}.
     */
    private static final Map<String, String> PRODUCT_RECORDS = buildProductRecords();

    private static Map<String, String> buildProductRecords() {
        Map<String, String> records = new LinkedHashMap<>();
        records.put("anonymisation_ledger", "one row per anonymised member: ids, dates, requester; nothing personal");
        records.put("anonymisation_request", "single-member requests: ids, requester, outcome, the request's reason");
        records.put("anonymisation_export_member", "an export's manifest: values erased when the export's file is"
                + " deleted (import completed, deletion or retention)");
        records.put("anonymisation_import_rejection", "an import's rejected rows: ids and codes, no names");
        records.put("anonymisation_import_claim", "ids an import has met; deleted when the import completes");
        return Collections.unmodifiableMap(records);
    }

    private static final AnonymisationPlan INSTANCE = new AnonymisationPlan();

    private AnonymisationPlan() {
    }

    /** The plan (immutable, thread-safe). */
    public static AnonymisationPlan current() {
        return INSTANCE;
    }

    public String version() {
        return VERSION;
    }

    /** Every member-data table, {@code member} first. */
    public List<Table> tables() {
        return TABLES;
    }

    public Optional<Table> table(String name) {
        return TABLES.stream().filter(t -> t.name().equalsIgnoreCase(name)).findFirst();
    }

    /** The product's own tables that name members, with why (not member data, not erased by the plan). */
    public Map<String, String> productRecords() {
        return PRODUCT_RECORDS;
    }

    /** The table of docs/reference.md: one line per column, generated from the plan. */
    public String markdownTable() {
        List<String> lines = new ArrayList<>();
        lines.add("| table | column | anonymised | why |");
        lines.add("|---|---|---|---|");
        for (Table table : TABLES) {
            for (Column column : table.columns()) {
                lines.add("| `" + table.name() + "` | `" + column.name() + "` | " + describe(column) + " | "
                        + column.why() + " |");
            }
        }
        return String.join("\n", lines) + "\n";
    }

    private static String describe(Column column) {
        return switch (column.treatment()) {
            case ERASED, SET -> column.treatment().name().toLowerCase() + " to `" + shown(column.value()) + "`";
            case NULLED -> "nulled";
            case DELETED -> "row deleted";
            case RETIRED -> "kept, retired";
            case KEPT -> "kept";
            case GENERALISED -> "kept, generalised";
        };
    }

    private static String shown(String value) {
        return switch (value) {
            case ":now" -> "now";
            case ":yes" -> "true";
            case ":no" -> "false";
            default -> value;
        };
    }

    private static Column kept(String name, String why) {
        return new Column(name, Treatment.KEPT, null, why);
    }

    private static Column nulled(String name, String why) {
        return new Column(name, Treatment.NULLED, null, why);
    }

    private static Column erased(String name, String value, String why) {
        return new Column(name, Treatment.ERASED, value, why);
    }

    private static Column set(String name, String value, String why) {
        return new Column(name, Treatment.SET, value, why);
    }

    private static Column deleted(String name, String why) {
        return new Column(name, Treatment.DELETED, null, why);
    }
}
