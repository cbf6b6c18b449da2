-- One line saying how an import ended, for the admin's page and the job's exit description: how many rows were
-- rejected and for which codes, loudly when every row was rejected for the same code (a file edited throughout or
-- saved by a program the import cannot read). Codes and counts only: never a name.
alter table anonymisation_import add summary varchar2(500 char);
