-- A retired badge number can never be assigned again, enforced by the database itself: a badge inserted,
-- or renumbered, with a number listed in retired_badge_number is refused, whoever writes it.
create or replace trigger tr_badge_not_retired
before insert or update of badge_number on badge
for each row
declare
    retired number;
begin
    select count(*) into retired from retired_badge_number r where r.badge_number = :new.badge_number;
    if retired > 0 then
        raise_application_error(-20014, 'badge number retired: it may never be assigned again');
    end if;
end;
/
