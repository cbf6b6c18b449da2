-- Reference member database (docs/reference.md#schema). H2 and PostgreSQL share this file; Oracle has its own
-- (../oracle). Table and column names are a contract: tools outside the project query them.

create table club (
    id   bigint       not null primary key,
    code varchar(32)  not null,
    name varchar(200) not null,
    constraint uk_club_code unique (code)
);

create table app_user (
    id                         bigint       not null primary key,
    username                   varchar(100) not null,
    display_name               varchar(200) not null,
    password_hash              varchar(200) not null,
    role                       varchar(16)  not null,
    mass_anonymisation_granted boolean      default false not null,
    constraint uk_app_user_username unique (username),
    constraint ck_app_user_role check (role in ('ADMIN', 'MANAGER', 'STAFF'))
);

create table app_user_club (
    user_id bigint not null,
    club_id bigint not null,
    constraint pk_app_user_club primary key (user_id, club_id)
);

create table member (
    id               bigint       not null primary key,
    member_number    varchar(32)  not null,
    club_id          bigint       not null,
    status           varchar(16)  not null,
    first_name       varchar(100) not null,
    last_name        varchar(100) not null,
    email            varchar(254),
    birth_date       date,
    notes            varchar(2000),
    created_at       timestamp    not null,
    anonymised_at    timestamp,
    sales_blocked    boolean      default false not null,
    bookings_blocked boolean      default false not null,
    constraint uk_member_number unique (member_number),
    constraint ck_member_status check (status in ('PROSPECT', 'CLIENT', 'FORMER_CLIENT', 'ANONYMISED'))
);
-- The export reads a club's members by id (keyset paging): (club_id, id) serves both filter and order.
create index ix_member_club_id on member (club_id, id);

create table member_address (
    member_id bigint not null primary key,
    line1     varchar(200),
    line2     varchar(200),
    postcode  varchar(16),
    city      varchar(100),
    country   varchar(2)
);

create table member_phone (
    id        bigint      not null primary key,
    member_id bigint      not null,
    kind      varchar(8)  not null,
    number    varchar(32) not null,
    constraint ck_member_phone_kind check (kind in ('HOME', 'MOBILE', 'WORK'))
);
create index ix_member_phone_member on member_phone (member_id);

create table member_consent (
    member_id  bigint      not null,
    channel    varchar(16) not null,
    granted    boolean     not null,
    updated_at timestamp   not null,
    constraint pk_member_consent primary key (member_id, channel),
    constraint ck_member_consent_channel check (channel in ('EMAIL', 'SMS', 'POST', 'PHONE', 'PARTNERS'))
);

create table member_account (
    member_id bigint         not null primary key,
    balance   decimal(12, 2) not null
);

create table badge (
    id           bigint      not null primary key,
    badge_number varchar(32) not null,
    member_id    bigint      not null,
    status       varchar(16) not null,
    assigned_at  timestamp   not null,
    constraint uk_badge_number unique (badge_number),
    constraint ck_badge_status check (status in ('ACTIVE', 'INACTIVE', 'RETIRED'))
);
create index ix_badge_member on badge (member_id);

-- Badge numbers retired by an anonymisation: a number listed here may never be assigned again,
-- even if its badge row is later deleted (the badge table's unique key alone would not survive that).
create table retired_badge_number (
    badge_number varchar(32) not null primary key,
    retired_at   timestamp   not null
);

-- Activity tables. Eligibility asks "any activity on or after the cutoff?" per member, so each has an index
-- led by member_id and the date it is judged on.
create table visit (
    id         bigint    not null primary key,
    member_id  bigint    not null,
    club_id    bigint    not null,
    visited_at timestamp not null
);
create index ix_visit_member_date on visit (member_id, visited_at);

create table booking (
    id        bigint      not null primary key,
    member_id bigint      not null,
    club_id   bigint      not null,
    booked_at timestamp   not null,
    starts_at timestamp   not null,
    status    varchar(16) not null
);
create index ix_booking_member_booked on booking (member_id, booked_at);
create index ix_booking_member_starts on booking (member_id, starts_at);

create table purchase (
    id           bigint         not null primary key,
    member_id    bigint         not null,
    club_id      bigint         not null,
    purchased_at timestamp      not null,
    amount       decimal(12, 2) not null
);
create index ix_purchase_member_date on purchase (member_id, purchased_at);

create table instalment (
    id        bigint         not null primary key,
    member_id bigint         not null,
    due_date  date           not null,
    amount    decimal(12, 2) not null,
    status    varchar(16)    not null
);
create index ix_instalment_member_date on instalment (member_id, due_date);

create table invoice (
    id             bigint         not null primary key,
    member_id      bigint         not null,
    invoice_number varchar(32)    not null,
    issued_at      timestamp      not null,
    amount         decimal(12, 2) not null,
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
