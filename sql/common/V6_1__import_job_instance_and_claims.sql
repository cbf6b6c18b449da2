-- Import job. One import record per job instance: a restart finds and resumes its own record.
alter table anonymisation_import add job_instance_id bigint;
create unique index uk_import_job_instance on anonymisation_import (job_instance_id);

-- The member ids an import has met, each with the first uploaded row that named it: a later row naming the same
-- member is a DUPLICATE_ROW. Claimed per chunk in the chunk's transaction, so a restart sees exactly the rows of the
-- committed chunks. Nothing personal (ids and row numbers); deleted when the import completes.
create table anonymisation_import_claim (
    import_id  bigint not null references anonymisation_import (id),
    member_id  bigint not null,
    row_number bigint not null,
    constraint pk_import_claim primary key (import_id, member_id)
);
