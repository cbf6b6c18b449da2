-- Test fixture only (AnonymisationPlanSchemaTests): a migration that adds a column of personal data nobody has
-- classified in the AnonymisationPlan. The plan-vs-schema check must fail and name it.
alter table member add column instagram_handle varchar(30);
