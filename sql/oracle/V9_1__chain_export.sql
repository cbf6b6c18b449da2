-- The chain-wide export (issue 7): chainExportJob records one export per club under a single job instance, so the
-- export's job instance link is unique per club rather than per instance. exportJob still has one club per instance.
alter table anonymisation_export drop constraint uk_export_job_instance;
-- Oracle's unique keys take a NULL as equal to a NULL as soon as another column of the key is not null: a plain
-- unique (job_instance_id, club_id) would allow one export without a job instance per club, where H2 and
-- PostgreSQL allow any number. The key's second column is therefore the club only when there is a job instance: a
-- row without one has an all-NULL key, which Oracle does not index, as the other databases do.
alter table anonymisation_export add (job_instance_club_id number(19)
    generated always as (case when job_instance_id is not null then club_id end));
alter table anonymisation_export add constraint uk_export_job_instance_club
    unique (job_instance_id, job_instance_club_id);
