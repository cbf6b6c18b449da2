-- At most one running execution per job instance (issue 5). Spring Batch 6 checks the instance's last execution and
-- then creates a new one in separate transactions: two launches of the same job at once (two threads, two JVMs, a
-- Data Flow retry and an operator) can both pass the check. Each new execution claims its instance here, in its own
-- transaction, right after Spring Batch created it; the primary key lets one claim win, the loser's execution is
-- deleted and its launch refused. A claim whose execution no longer runs (ended, or recovered after a crash) is taken
-- over. Nothing personal: ids and a time.
create table job_instance_run (
    job_instance_id  number(19) not null primary key,
    job_execution_id number(19) not null,
    claimed_at       timestamp  not null
);
