-- A retired badge number can never be assigned again, enforced by the database itself: a badge inserted,
-- or renumbered, with a number listed in retired_badge_number is refused, whoever writes it. H2 has no procedural
-- SQL: the check is a Java trigger shipped in the product's jar (org.clubanonymiser.anonymisation).
-- PostgreSQL: ../postgresql/V10_2__retired_badge_guard.sql; Oracle: ../oracle-plsql/V10_2__retired_badge_guard.sql.
create trigger tr_badge_not_retired before insert, update on badge for each row
    call 'org.clubanonymiser.anonymisation.RetiredBadgeNumberTrigger';
