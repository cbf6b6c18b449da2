package org.clubanonymiser.privacy;

/**
 * The canary-style verification a privacy report runs on every member it covers: each check is a SQL condition on
 * the member row {@code m} (and its child rows) that is true when a personal value survived the anonymisation, i.e. a
 * violation. Every count is expected to be 0. Conditions return a yes/no from the database: no value ever leaves it.
 * {@code :yes} is bound to {@code true} (a number 1 on Oracle's boolean columns).
 */
public enum AnonymisationCheck {

    NAMES("first and last name are 'No'", "m.first_name <> 'No' or m.last_name <> 'No'"),
    EMAIL("no e-mail", "m.email is not null"),
    BIRTH_DATE("no birth date", "m.birth_date is not null"),
    NOTES("no notes", "m.notes is not null"),
    STATUS("status ANONYMISED with its date", "m.status <> 'ANONYMISED' or m.anonymised_at is null"),
    BLOCKED("sales and bookings blocked", "m.sales_blocked <> :yes or m.bookings_blocked <> :yes"),
    ADDRESS("address lines, postcode, city and country empty", """
            exists (select 1 from member_address a where a.member_id = m.id and (a.line1 is not null
                or a.line2 is not null or a.postcode is not null or a.city is not null or a.country is not null))"""),
    PHONES("no phone row", "exists (select 1 from member_phone p where p.member_id = m.id)"),
    CONSENTS("every consent withdrawn",
            "exists (select 1 from member_consent c where c.member_id = m.id and c.granted = :yes)"),
    BADGES_RETIRED("every badge RETIRED",
            "exists (select 1 from badge b where b.member_id = m.id and b.status <> 'RETIRED')"),
    BADGE_NUMBERS_RESERVED("every badge number reserved against reuse", """
            exists (select 1 from badge b where b.member_id = m.id
                and not exists (select 1 from retired_badge_number r where r.badge_number = b.badge_number))""");

    private final String description;

    private final String violation;

    AnonymisationCheck(String description, String violation) {
        this.description = description;
        this.violation = violation;
    }

    /** What an anonymised member must satisfy. */
    public String description() {
        return description;
    }

    /** The SQL condition on member {@code m} true when this member violates the check. */
    String violation() {
        return violation;
    }
}
