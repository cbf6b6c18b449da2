-- A retired badge number can never be assigned again, enforced by the database itself: a badge inserted,
-- or renumbered, with a number listed in retired_badge_number is refused, whoever writes it.
-- H2: ../h2/V10_2__retired_badge_guard.sql; Oracle: ../oracle-plsql/V10_2__retired_badge_guard.sql.
create function refuse_retired_badge_number() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' and new.badge_number = old.badge_number then
        return new;
    end if;
    if exists (select 1 from retired_badge_number r where r.badge_number = new.badge_number) then
        raise exception 'badge number retired: it may never be assigned again' using errcode = '23514',
            table = 'badge', column = 'badge_number', constraint = 'tr_badge_not_retired';
    end if;
    return new;
end
$$;

create trigger tr_badge_not_retired before insert or update of badge_number on badge
    for each row execute function refuse_retired_badge_number();
