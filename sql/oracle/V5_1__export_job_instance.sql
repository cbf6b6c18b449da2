-- The export job (issue 3): an export record is created once per Spring Batch job instance, so that a restart
-- (same identifying parameters, same instance) resumes the same export instead of creating a second one.
alter table anonymisation_export add (job_instance_id number(19));
alter table anonymisation_export add constraint uk_export_job_instance unique (job_instance_id);
