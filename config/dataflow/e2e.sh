#!/usr/bin/env bash
# End-to-end proof that the jobs run as Spring Cloud Data Flow tasks, against a real Data Flow 2.11.5 server
# (started by the launcher script named in SCDF_LOCAL: built once from Maven Central, run on loopback with its
# embedded H2 database):
#
#   config/dataflow/e2e.sh
#
#  1. builds the application jar (skip with SKIP_BUILD=true);
#  2. starts the server, stopped again by its pid when the script ends, whatever the outcome (trap);
#  3. registers the jar with bootVersion=3 and creates the task definitions (config/dataflow/tasks.sh), the product
#     database being an H2 file of its own (two databases: Data Flow's holds the BOOT3_* metadata);
#  4. launches demo-data, then an export of club 1 (36 months), both must exit 0 with a COMPLETED job;
#  5. "reviews" the exported workbook (re-saved unchanged with POI: ReviewExport.java);
#  6. makes three members of the third import chunk active again (a visit today) so that the import, run with
#     chunk-size 5 and skip-limit 2, fails mid-way: exit code 1, job FAILED, two chunks (10 members) anonymised;
#  7. takes those visits away and restarts the failed job execution through Data Flow
#     (PUT /jobs/executions/{id}?restart=true&schemaTarget=boot3): a new task execution, exit code 0, the same job
#     instance COMPLETED, resumed after the 10 committed rows, every exported member anonymised exactly once;
#  8. prints the task and job executions as Data Flow shows them.
#
# Environment: SCDF_LOCAL (required: the launcher script that builds and starts the server; not shipped in this
# repository yet), SCDF_LOCAL_HOME (where the server jar is built, default ~/.cache/scdf-local: outside the repository),
# SCDF_PORT (9393), E2E_DIR (work dir, default target/dataflow-e2e), SKIP_BUILD. Needs java 17, curl, python3.
# About 4 minutes once the server jar exists (the first build downloads Data Flow, ~130 MB).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
here=$repo/config/dataflow
scdf=${SCDF_LOCAL:-}
if [[ -z $scdf || ! -x $scdf ]]; then
    echo "e2e.sh: set SCDF_LOCAL to an executable script that builds and starts Spring Cloud Data Flow 2.11.5" >&2
    exit 2
fi
export SCDF_LOCAL_HOME=${SCDF_LOCAL_HOME:-$HOME/.cache/scdf-local}
export SCDF_PORT=${SCDF_PORT:-9393}
dataflow=http://127.0.0.1:$SCDF_PORT
work=${E2E_DIR:-$repo/target/dataflow-e2e}
timeout=${E2E_TASK_TIMEOUT:-300}

log() { printf '[e2e %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
fail() { log "FAILED: $*"; exit 1; }
check() { # check <description> <actual> <expected>
    if [[ $2 == "$3" ]]; then log "ok   $1: $2"; else fail "$1: expected $3, was $2"; fi
}

[[ -x $scdf ]] || fail "no scdf-local at $scdf (set SCDF_LOCAL)"
if curl -sf "$dataflow/about" >/dev/null 2>&1; then
    fail "something already answers on $dataflow: stop it or set SCDF_PORT"
fi
# scdf-local builds the server with 'mvn': use the repository's wrapper when there is none.
if ! command -v mvn >/dev/null; then
    mkdir -p "$work.bin"
    printf '#!/bin/sh\nexec "%s/mvnw" "$@"\n' "$repo" >"$work.bin/mvn"
    chmod +x "$work.bin/mvn"
    export PATH=$work.bin:$PATH
fi

rm -rf "$work"
mkdir -p "$work/apps" "$work/lib" "$work/task-logs" "$work/product" "$work/storage"

# 1. The application jar, named <artifactId>-<version>.jar as Data Flow wants it.
if [[ ${SKIP_BUILD:-false} != true ]]; then
    log "building the application jar"
    (cd "$repo" && ./mvnw -o -q -B package -DskipTests)
fi
jar=$repo/batch-app/target/club-anonymiser.jar
version=$(unzip -p "$jar" META-INF/maven/org.clubanonymiser/batch-app/pom.properties | sed -n 's/^version=//p' | tr -d '\r')
app_jar=$work/apps/club-anonymiser-$version.jar
cp "$jar" "$app_jar"
# The jar's own libraries, for the review (POI) and to look into the product database (H2's shell).
unzip -q -o "$app_jar" 'BOOT-INF/lib/*' -d "$work/lib"
h2_jar=$(ls "$work"/lib/BOOT-INF/lib/h2-2*.jar | head -1)
product_url="jdbc:h2:file:$work/product/anonymiser"
sql() { # sql <query>: one value per line, no header (the product database must not be in use by a task)
    java -cp "$h2_jar" org.h2.tools.Shell -url "$product_url" -user sa -password "" -sql "$1" \
        | sed '1d;/^(.* row/d;/^$/d' | tr -d ' '
}

# 2. The server, stopped by its recorded pid on every exit.
stop_server() { log "stopping Data Flow"; "$scdf" stop || true; }
trap stop_server EXIT
log "starting Data Flow 2.11.5 on $dataflow (SCDF_LOCAL_HOME=$SCDF_LOCAL_HOME)"
"$scdf" start

# JSON helpers on Data Flow's REST answers.
get() { curl -sSf "$dataflow$1"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
launch_properties="deployer.anonymiser.local.javaOpts=-Dspring.batch.jdbc.schema.legacy=true"
launch_properties+=",deployer.anonymiser.local.working-directories-root=$work/task-logs"
launch() { # launch <definition> <arguments>: prints the task execution id
    curl -sSf -XPOST "$dataflow/tasks/executions/launch" -d "name=$1" --data-urlencode "arguments=$2" \
        --data-urlencode "properties=$launch_properties" | json "d['executionId']"
}
await() { # await <task execution id>: waits for its end, prints its exit code
    local waited=0 exit_code
    while true; do
        exit_code=$(get "/tasks/executions/$1?schemaTarget=boot3" | json "d['exitCode']")
        if [[ $exit_code != None ]]; then echo "$exit_code"; return; fi
        if (( waited >= timeout )); then
            log "task execution $1 did not end within ${timeout}s; its logs:" >&2
            tail -n 40 "$work"/task-logs/*/*/stdout.log >&2 || true
            return 1
        fi
        sleep 2; waited=$((waited + 2))
    done
}
job_of() { get "/tasks/executions/$1?schemaTarget=boot3" | json "d['jobExecutionIds'][0]"; }
job_status() { get "/jobs/executions/$1?schemaTarget=boot3" | json "d['jobExecution']['status']"; }
job_instance() { get "/jobs/executions/$1?schemaTarget=boot3" | json "d['jobExecution']['jobInstance']['id']"; }

# 3. Registration and definitions.
log "registering the app (bootVersion=3) and the task definitions"
APP_URI="file://$app_jar" DATAFLOW_URL=$dataflow PRODUCT_DB_URL=$product_url PRODUCT_DB_USERNAME=sa \
    STORAGE_DIR=$work/storage \
    EXTRA_APP_PROPERTIES="--anonymiser.import.chunk-size=5 --anonymiser.import.skip-limit=2" "$here/tasks.sh"
check "app registered with bootVersion" "$(get /apps/task/anonymiser | json "d['bootVersion']")" 3

# 4. Demo data, then an export.
log "launching anonymiser-demo-data"
demo=$(launch anonymiser-demo-data "members=300 clubs=2 seed=7 asOf=2026-01-15")
check "demo-data task exit code" "$(await "$demo")" 0
check "demo-data job status" "$(job_status "$(job_of "$demo")")" COMPLETED

log "launching anonymiser-export"
export_task=$(launch anonymiser-export "clubId=1 inactivityMonths=36 exportName=e2e requestedBy=admin.multi asOf=2026-01-15")
check "export task exit code" "$(await "$export_task")" 0
check "export job status" "$(job_status "$(job_of "$export_task")")" COMPLETED
export_id=$(sql "select max(id) from anonymisation_export")
exported=$(sql "select count(*) from anonymisation_export_member where export_id = $export_id")
log "export $export_id: $exported members"
(( exported >= 15 )) || fail "the export has $exported members, the scenario needs at least 15"
zip=$(ls "$work"/storage/exports/*.zip | head -1)

# 5. The admin's review: re-saved unchanged.
reviewed=$work/storage/uploads/reviewed-export-$export_id.xlsx
mkdir -p "$(dirname "$reviewed")"
java -cp "$work/lib/BOOT-INF/lib/*" "$here/e2e/ReviewExport.java" "$zip" "$reviewed"
log "reviewed workbook: $reviewed"

# 6. Three members of the third chunk (rows 11-13) came back since the export: the import rejects them, which
#    exceeds skip-limit 2 and fails the step after two committed chunks.
sql "insert into visit (id, member_id, club_id, visited_at)
     select 900000000 + m.member_id, m.member_id, 1, current_timestamp
     from (select member_id from anonymisation_export_member where export_id = $export_id
           order by member_id offset 10 rows fetch next 3 rows only) m" >/dev/null
log "launching anonymiser-import (fails mid-way)"
import_task=$(launch anonymiser-import "file=$reviewed requestedBy=admin.multi")
check "failed import task exit code" "$(await "$import_task")" 1
failed_job=$(job_of "$import_task")
check "failed import job status" "$(job_status "$failed_job")" FAILED
check "failed import job restartable (Data Flow)" \
    "$(get "/jobs/executions/$failed_job?schemaTarget=boot3" | json "d['restartable']")" True
check "import record after the failure (status,read,anonymised)" \
    "$(sql "select status || ',' || rows_read || ',' || members_anonymised from anonymisation_import
            where id = (select max(id) from anonymisation_import)")" "FAILED,10,10"

# 7. The members' visits were a mistake: take them away and restart through Data Flow.
sql "delete from visit where id > 900000000" >/dev/null
log "restarting job execution $failed_job through Data Flow"
check "restart request HTTP status" \
    "$(curl -sS -o /dev/null -w '%{http_code}' -XPUT "$dataflow/jobs/executions/$failed_job?restart=true&schemaTarget=boot3")" 200
restart_task=""
for _ in $(seq 1 30); do
    restart_task=$(get "/tasks/executions?page=0&size=20&sort=TASK_EXECUTION_ID,DESC" | json "max([e['executionId'] for e in d['_embedded']['taskExecutionResourceList'] if e['taskName'] == 'anonymiser-import'])")
    [[ $restart_task != "$import_task" ]] && break
    sleep 1
done
[[ $restart_task != "$import_task" ]] || fail "Data Flow launched no new task execution for the restart"
check "restarted import task exit code" "$(await "$restart_task")" 0
restart_job=$(job_of "$restart_task")
check "restarted import job status" "$(job_status "$restart_job")" COMPLETED
check "restart resumes the same job instance" "$(job_instance "$restart_job")" "$(job_instance "$failed_job")"
check "rows read by importAnonymiseStep after the restart" \
    "$(get "/jobs/executions/$restart_job/steps?schemaTarget=boot3" | json "[s['stepExecution']['readCount'] for s in d['_embedded']['stepExecutionResourceList'] if s['stepExecution']['stepName'] == 'importAnonymiseStep'][0]")" \
    "$((exported - 10))"
check "import record after the restart (status,read,anonymised,rejected)" \
    "$(sql "select status || ',' || rows_read || ',' || members_anonymised || ',' || rows_rejected
            from anonymisation_import where id = (select max(id) from anonymisation_import)")" \
    "COMPLETED,$exported,$exported,0"
check "ledger rows of the import (one per member)" \
    "$(sql "select count(*) from anonymisation_ledger where import_id = (select max(id) from anonymisation_import)")" \
    "$exported"
check "exported members still not anonymised" \
    "$(sql "select count(*) from member m join anonymisation_export_member e on e.member_id = m.id
            where e.export_id = $export_id and m.status <> 'ANONYMISED'")" 0

# 8. As Data Flow shows them.
log "task executions (Data Flow):"
get "/tasks/executions?page=0&size=20&sort=TASK_EXECUTION_ID,ASC" | json "'\n'.join('  task execution %s %-22s exit %s  jobs %s' % (e['executionId'], e['taskName'], e['exitCode'], e['jobExecutionIds']) for e in d['_embedded']['taskExecutionResourceList'])"
log "job executions (Data Flow):"
get "/jobs/executions?page=0&size=20" | json "'\n'.join('  job execution %s %-12s instance %s task %s %s' % (e['executionId'], e['name'], e['jobExecution']['jobInstance']['id'], e['taskExecutionId'], e['jobExecution']['status']) for e in reversed(d['_embedded']['jobExecutionResourceList']))"
log "PASSED"
