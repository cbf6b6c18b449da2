-- Restart attribution (issue 17, finding 4): a failed import restarted from the web by another admin of its club
-- stays requested by its uploader (requested_by, also the ledger's), and records who restarted it last, and when.
alter table anonymisation_import add (restarted_by varchar2(100 char), restarted_at timestamp);
