-- Correct and import again (issue 13). An export whose import left rejected rows stays importable until it expires;
-- each completed import resolves the manifest rows it can, and only those lose their values.
--
-- resolution of a manifest row: null until an import of the export completes; then ANONYMISED (the member is
-- anonymised), INELIGIBLE (an import found the member no longer eligible), KEPT (no row of the import named the
-- member: the admin deleted the row, or it could never be anonymised), or REJECTED (the import rejected the member's
-- row for a reason the admin can correct: still open, its values kept for the next import). Resolved rows keep their
-- member id only. Nothing personal in the code itself.
alter table anonymisation_export_member add resolution varchar2(16 char);
alter table anonymisation_export_member add constraint ck_export_member_resolution
    check (resolution in ('ANONYMISED', 'INELIGIBLE', 'KEPT', 'REJECTED'));

-- When every row of the export was resolved (then its file is deleted): a later import is EXPORT_ALREADY_IMPORTED.
alter table anonymisation_export add resolved_at timestamp;

-- Rows naming a member anonymised before this import's own writes (by an earlier import of the same export, a
-- concurrent one or a single-member anonymisation): informational, neither anonymised by it nor rejected.
alter table anonymisation_import add rows_already_anonymised number(19) default 0 not null;

-- The completion looks up an import's rejections by member, once per open manifest row.
create index ix_import_rejection_member on anonymisation_import_rejection (import_id, member_id);

-- Exports imported before this version were purged whole by their first completed import: resolved.
update anonymisation_export set resolved_at = coalesce(file_deleted_at, completed_at, created_at)
where exists (select 1 from anonymisation_import i where i.export_id = anonymisation_export.id
    and i.dry_run = 0 and i.status in ('COMPLETED', 'COMPLETED_WITH_ERRORS'));
update anonymisation_export_member set resolution = case
        when exists (select 1 from member m where m.id = anonymisation_export_member.member_id
            and m.anonymised_at is not null) then 'ANONYMISED'
        else 'KEPT' end
where export_id in (select id from anonymisation_export where resolved_at is not null);
