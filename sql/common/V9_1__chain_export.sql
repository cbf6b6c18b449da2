-- The chain-wide export (issue 7): chainExportJob records one export per club under a single job instance, so the
-- export's job instance link is unique per club rather than per instance. exportJob still has one club per instance.
alter table anonymisation_export drop constraint uk_export_job_instance;
alter table anonymisation_export add constraint uk_export_job_instance_club unique (job_instance_id, club_id);
