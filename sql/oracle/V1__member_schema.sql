-- Reference member database (docs/reference.md#schema), Oracle version (12c+; BOOLEAN columns as number(1) 0/1; text lengths in
-- characters, as on H2 and PostgreSQL: varchar2(n char); names of at most 30 characters, as Oracle 12.1 requires).
-- Table and column names are a contract: tools outside the project query them.

create table club (
    id   number(19)       not null primary key,
    code varchar2(32 char)  not null,
    name varchar2(200 char) not null,
    constraint uk_club_code unique (code)
);

create table app_user (
    id                         number(19)       not null primary key,
    username                   varchar2(100 char) not null,
    display_name               varchar2(200 char) not null,
    password_hash              varchar2(200 char) not null,
    role                       varchar2(16 char)  not null,
    mass_anonymisation_granted number(1)      default 0 not null,
    constraint uk_app_user_username unique (username),
    constraint ck_app_user_role check (role in ('ADMIN', 'MANAGER', 'STAFF'))
);

create table app_user_club (
    user_id number(19) not null,
    club_id number(19) not null,
    constraint pk_app_user_club primary key (user_id, club_id)
);

create table member (
    id               number(19)       not null primary key,
    member_number    varchar2(32 char)  not null,
    club_id          number(19)       not null,
    status           varchar2(16 char)  not null,
    first_name       varchar2(100 char) not null,
    last_name        varchar2(100 char) not null,
    email            varchar2(254 char),
    birth_date       date,
    notes            varchar2(2000 char),
    created_at       timestamp    not null,
    anonymised_at    timestamp,
    sales_blocked    number(1)      default 0 not null,
    bookings_blocked number(1)      default 0 not null,
    constraint uk_member_number unique (member_number),
    constraint ck_member_status check (status in ('PROSPECT', 'CLIENT', 'FORMER_CLIENT', 'ANONYMISED'))
);
-- The export reads a club's members by id (keyset paging): (club_id, id) serves both filter and order.
create index ix_member_club_id on member (club_id, id);

create table member_address (
    member_id number(19) not null primary key,
    line1     varchar2(200 char),
    line2     varchar2(200 char),
    postcode  varchar2(16 char),
    city      varchar2(100 char),
    country   varchar2(2 char)
);

create table member_phone (
    id        number(19)      not null primary key,
    member_id number(19)      not null,
    kind      varchar2(8 char)  not null,
    "NUMBER"  varchar2(32 char) not null,
    constraint ck_member_phone_kind check (kind in ('HOME', 'MOBILE', 'WORK'))
);
create index ix_member_phone_member on member_phone (member_id);

create table member_consent (
    member_id  number(19)      not null,
    channel    varchar2(16 char) not null,
    granted    number(1)     not null,
    updated_at timestamp   not null,
    constraint pk_member_consent primary key (member_id, channel),
    constraint ck_member_consent_channel check (channel in ('EMAIL', 'SMS', 'POST', 'PHONE', 'PARTNERS'))
);

create table member_account (
    member_id number(19)         not null primary key,
    balance   number(12, 2) not null
);

create table badge (
    id           number(19)      not null primary key,
    badge_number varchar2(32 char) not null,
    member_id    number(19)      not null,
    status       varchar2(16 char) not null,
    assigned_at  timestamp   not null,
    constraint uk_badge_number unique (badge_number),
    constraint ck_badge_status check (status in ('ACTIVE', 'INACTIVE', 'RETIRED'))
);
create index ix_badge_member on badge (member_id);

-- Badge numbers retired by an anonymisation: a number listed here may never be assigned again,
-- even if its badge row is later deleted (the badge table's unique key alone would not survive that).
create table retired_badge_number (
    badge_number varchar2(32 char) not null primary key,
    retired_at   timestamp   not null
);

-- Activity tables. Eligibility asks "any activity on or after the cutoff?" per member, so each has an index
-- led by member_id and the date it is judged on.
create table visit (
    id         number(19)    not null primary key,
    member_id  number(19)    not null,
    club_id    number(19)    not null,
    visited_at timestamp not null
);
create index ix_visit_member_date on visit (member_id, visited_at);

create table booking (
    id        number(19)      not null primary key,
    member_id number(19)      not null,
    club_id   number(19)      not null,
    booked_at timestamp   not null,
    starts_at timestamp   not null,
    status    varchar2(16 char) not null
);
create index ix_booking_member_booked on booking (member_id, booked_at);
create index ix_booking_member_starts on booking (member_id, starts_at);

create table purchase (
    id           number(19)         not null primary key,
    member_id    number(19)         not null,
    club_id      number(19)         not null,
    purchased_at timestamp      not null,
    amount       number(12, 2) not null
);
create index ix_purchase_member_date on purchase (member_id, purchased_at);

create table instalment (
    id        number(19)         not null primary key,
    member_id number(19)         not null,
    due_date  date           not null,
    amount    number(12, 2) not null,
    status    varchar2(16 char)    not null
);
create index ix_instalment_member_date on instalment (member_id, due_date);

create table invoice (
    id             number(19)         not null primary key,
    member_id      number(19)         not null,
    invoice_number varchar2(32 char)    not null,
    issued_at      timestamp      not null,
    amount         number(12, 2) not null,
    constraint uk_invoice_number unique (invoice_number)
);
create index ix_invoice_member on invoice (member_id);

-- Foreign keys last, once the (member_id, date) indexes exist: H2 would otherwise add an index of its own
-- for each of them, doubling the index work of every activity insert.
alter table app_user_club add constraint fk_app_user_club_user_id foreign key (user_id) references app_user (id);
alter table app_user_club add constraint fk_app_user_club_club_id foreign key (club_id) references club (id);
alter table member add constraint fk_member_club_id foreign key (club_id) references club (id);
alter table member_address add constraint fk_member_address_member_id foreign key (member_id) references member (id);
alter table member_phone add constraint fk_member_phone_member_id foreign key (member_id) references member (id);
alter table member_consent add constraint fk_member_consent_member_id foreign key (member_id) references member (id);
alter table member_account add constraint fk_member_account_member_id foreign key (member_id) references member (id);
alter table badge add constraint fk_badge_member_id foreign key (member_id) references member (id);
alter table visit add constraint fk_visit_member_id foreign key (member_id) references member (id);
alter table visit add constraint fk_visit_club_id foreign key (club_id) references club (id);
alter table booking add constraint fk_booking_member_id foreign key (member_id) references member (id);
alter table booking add constraint fk_booking_club_id foreign key (club_id) references club (id);
alter table purchase add constraint fk_purchase_member_id foreign key (member_id) references member (id);
alter table purchase add constraint fk_purchase_club_id foreign key (club_id) references club (id);
alter table instalment add constraint fk_instalment_member_id foreign key (member_id) references member (id);
alter table invoice add constraint fk_invoice_member_id foreign key (member_id) references member (id);
