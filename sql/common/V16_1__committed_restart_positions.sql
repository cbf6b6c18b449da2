-- Restart positions committed in the product database, in the same transaction as each chunk's writes. Under Spring
-- Cloud Data Flow the job repository (and its step execution contexts) lives in another database, committed in a
-- transaction of its own: after a crash between the two commits the two disagree, and a restart resumes from these
-- columns. Positions only, nothing personal.
--
-- The spreadsheet row number of the last row of the uploaded file whose chunk committed (0: none yet). Null for an
-- import recorded before this version: its restart keeps the step execution context's position.
alter table anonymisation_import add last_committed_row bigint;
-- The id of the last member judged by the manifest step's last committed chunk (rows read in member id order). Null
-- until the first chunk commits (or for an export recorded before this version, when members_scanned is not 0).
alter table anonymisation_export add last_scanned_member_id bigint;
