-- Benchmark only, never on a real database: turns a demo database that a previous benchmark (or measurement) run
-- imported back into an exportable one, so the 1M-member base (20+ minutes to seed) can be reused.
-- Members anonymised by an import of an export get back demo-looking values (names drawn from the demo lists by id,
-- same lengths and cardinality, so the workbook and its shared-strings table keep their size); members the demo
-- data itself anonymised (ledger rows of the demo's own import, export_id null) stay as they are.
create local temporary table bench_reset as
    select l.member_id, l.anonymised_at from anonymisation_ledger l
    where l.import_id in (select i.id from anonymisation_import i where i.export_id is not null);
create index ix_bench_reset on bench_reset (member_id);

update member m set
    first_name = case mod(m.id, 10) when 0 then 'Camille' when 1 then 'Léa' when 2 then 'Thomas'
        when 3 then 'Anne-Sophie' when 4 then 'Jean-Pierre' when 5 then 'Hélène' when 6 then 'Nicolas'
        when 7 then 'Océane' when 8 then 'Sébastien' else 'Baptiste' end,
    last_name = case mod(m.id / 10, 12) when 0 then 'Martin' when 1 then 'Lefèvre' when 2 then 'de La Tour'
        when 3 then 'Saint-Martin' when 4 then 'Dubois' when 5 then 'Nguyen' when 6 then 'Da Silva'
        when 7 then 'Rousseau' when 8 then 'Chevalier' when 9 then 'N''Diaye' when 10 then 'Roux' else 'Gaillard' end,
    status = case when mod(m.id, 3) = 0 then 'PROSPECT' else 'FORMER_CLIENT' end,
    email = 'member' || m.id || '@example.com', notes = null, birth_date = date '1980-01-01',
    anonymised_at = null, sales_blocked = false, bookings_blocked = false
where m.id in (select member_id from bench_reset);

update member_address a set line1 = '12 rue de la Paix', postcode = '75001', city = 'Paris', country = 'FR'
where a.member_id in (select member_id from bench_reset);
update member_consent c set granted = true where c.member_id in (select member_id from bench_reset);
delete from retired_badge_number r where exists (select 1 from badge b join bench_reset x on x.member_id = b.member_id
    where b.badge_number = r.badge_number and r.retired_at = x.anonymised_at);
update badge b set status = 'INACTIVE' where b.member_id in (select member_id from bench_reset)
    and not exists (select 1 from retired_badge_number r where r.badge_number = b.badge_number);
delete from anonymisation_ledger l where l.member_id in (select member_id from bench_reset);

delete from anonymisation_import_rejection
    where import_id in (select id from anonymisation_import where export_id is not null);
delete from anonymisation_import_claim;
delete from anonymisation_import where export_id is not null;
delete from anonymisation_export_member;
delete from anonymisation_export;
drop table bench_reset;
