#!/usr/bin/env bash
# End-to-end proof that the jobs run as Spring Cloud Data Flow tasks, against a real Data Flow 2.11.5 server that this
# repository builds and runs itself (config/dataflow/server: fetched from Maven Central through the Maven wrapper,
# run on loopback with its embedded H2 database). One command, nothing to set:
#
#   config/dataflow/e2e.sh                  (or, from Maven, for CI: ./mvnw -Pdataflow-e2e verify)
#
#  1. builds the application jar (skip with SKIP_BUILD=true) and, when it is missing or older than its sources, the
#     Data Flow server jar (./mvnw -f config/dataflow/server/pom.xml package; ~130 MB the first time);
#  2. starts the server on 127.0.0.1, on free ports, stopped again by its pid when the script ends, whatever the
#     outcome (trap: failure, Ctrl-C, SIGTERM);
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
# Exit code 0 when every check passed, 1 when one failed (the line "FAILED: ..." says which), 2 when the
# environment is not usable (a tool or a port). Everything it writes is under E2E_DIR (the server's log
# included: dataflow-server.log), which the next run deletes first.
#
# Environment (all optional): SCDF_PORT (Data Flow's HTTP port; default: a free port), SCDF_H2_PORT (the TCP port of
# Data Flow's H2 database, which the tasks connect to; default: a free port), E2E_DIR (work dir, default
# target/dataflow-e2e), SKIP_BUILD=true (use batch-app/target/club-anonymiser.jar as it is), E2E_TASK_TIMEOUT
# (seconds a task may take, 900), E2E_SERVER_TIMEOUT (seconds the server may take to start, 900): generous, as a
# loaded CI machine is many times slower; they only end a run that hangs.
# Needs java 17, curl and python3. About 5 minutes once the server jar exists, more on a busy machine.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
here=$repo/config/dataflow
work=${E2E_DIR:-$repo/target/dataflow-e2e}
timeout=${E2E_TASK_TIMEOUT:-900}
server_timeout=${E2E_SERVER_TIMEOUT:-900}

log() { printf '[e2e %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
fail() { log "FAILED: $*"; exit 1; }
unusable() { log "cannot run: $*"; exit 2; }
check() { # check <description> <actual> <expected>
    if [[ $2 == "$3" ]]; then log "ok   $1: $2"; else fail "$1: expected $3, was $2"; fi
}
for tool in java curl python3; do
    command -v "$tool" >/dev/null || unusable "$tool is not on the PATH (the run needs java 17, curl and python3)"
done

# Free loopback ports by default, so that the run never meets another server (a developer's Data Flow on 9393,
# a second run on the same CI machine). Bound and released at once: a later race is possible, and then the server
# fails to start, saying so in its log.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
port=${SCDF_PORT:-$(free_port)}
h2_port=${SCDF_H2_PORT:-$(free_port)}
dataflow=http://127.0.0.1:$port
if curl -s -o /dev/null "$dataflow/about"; then
    unusable "something already answers on $dataflow: stop it or set SCDF_PORT"
fi

rm -rf "$work"
mkdir -p "$work/apps" "$work/lib" "$work/task-logs" "$work/product" "$work/storage" "$work/tmp"

# 1. The application jar, named <artifactId>-<version>.jar as Data Flow wants it, and the server jar.
if [[ ${SKIP_BUILD:-false} != true ]]; then
    log "building the application jar"
    (cd "$repo" && ./mvnw -q -B -ntp package -DskipTests)
fi
jar=$repo/batch-app/target/club-anonymiser.jar
[[ -f $jar ]] || fail "no application jar at $jar (run without SKIP_BUILD=true)"
version=$(python3 - "$jar" <<'PY'
import sys, zipfile
props = zipfile.ZipFile(sys.argv[1]).read("META-INF/maven/org.clubanonymiser/batch-app/pom.properties").decode()
print(next(line.split("=", 1)[1].strip() for line in props.splitlines() if line.startswith("version=")))
PY
)
app_jar=$work/apps/club-anonymiser-$version.jar
cp "$jar" "$app_jar"
# The jar's own libraries, for the review (POI) and to look into the product database (H2's shell).
python3 - "$app_jar" "$work/lib" <<'PY'
import sys, zipfile
jar = zipfile.ZipFile(sys.argv[1])
jar.extractall(sys.argv[2], [n for n in jar.namelist() if n.startswith("BOOT-INF/lib/") and n.endswith(".jar")])
PY
h2_jar=$(ls "$work"/lib/BOOT-INF/lib/h2-2*.jar | head -1)
product_url="jdbc:h2:file:$work/product/anonymiser"
sql() { # sql <query>: one value per line, no header (the product database must not be in use by a task)
    java -cp "$h2_jar" org.h2.tools.Shell -url "$product_url" -user sa -password "" -sql "$1" \
        | sed '1d;/^(.* row/d;/^$/d' | tr -d ' '
}

server=$here/server
server_jar=$server/target/dataflow-server.jar
if [[ ! -f $server_jar || -n $(find "$server/pom.xml" "$server/src" -newer "$server_jar" -print -quit) ]]; then
    log "building the Data Flow 2.11.5 server (the first time: ~130 MB from Maven Central, kept in ~/.m2)"
    "$repo/mvnw" -q -B -ntp -f "$server/pom.xml" package
fi

# 2. The server, stopped by its pid on every exit. Its database is H2 in memory, served over TCP on loopback to the
#    tasks it launches (Data Flow passes them its own spring.datasource.url); its log is dataflow-server.log, its
#    temporary files (Tomcat's) and the tasks' are under the work dir too, never left in the machine's /tmp.
server_pid=""
stop_server() {
    [[ -n $server_pid ]] || return 0
    log "stopping Data Flow (pid $server_pid)"
    kill "$server_pid" 2>/dev/null || return 0
    for _ in $(seq 1 30); do
        kill -0 "$server_pid" 2>/dev/null || return 0
        sleep 1
    done
    log "Data Flow did not stop within 30s: killing it"
    kill -KILL "$server_pid" 2>/dev/null || true
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
log "starting Data Flow 2.11.5 on $dataflow (its H2 database on 127.0.0.1:$h2_port)"
java -Dh2.bindAddress=127.0.0.1 -Djava.io.tmpdir="$work/tmp" -jar "$server_jar" --server.address=127.0.0.1 --server.port="$port" \
    --spring.datasource.url="jdbc:h2:tcp://localhost:$h2_port/mem:dataflow" \
    --spring.cloud.dataflow.features.streams-enabled=false --spring.cloud.dataflow.features.schedules-enabled=false \
    --spring.cloud.dataflow.task.platform.local.accounts.default.delete-files-on-exit=false \
    >"$work/dataflow-server.log" 2>&1 &
server_pid=$!
started=$SECONDS
until curl -sf -o /dev/null "$dataflow/about"; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
        tail -n 40 "$work/dataflow-server.log" >&2
        fail "Data Flow exited while starting (log above, whole log in $work/dataflow-server.log)"
    fi
    if (( SECONDS - started >= server_timeout )); then
        tail -n 40 "$work/dataflow-server.log" >&2
        fail "Data Flow did not answer within ${server_timeout}s (log above)"
    fi
    sleep 2
done
log "Data Flow is up after $((SECONDS - started))s (pid $server_pid)"

# JSON helpers on Data Flow's REST answers.
get() { curl -sSf "$dataflow$1"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
launch_properties="deployer.anonymiser.local.javaOpts=-Dspring.batch.jdbc.schema.legacy=true -Djava.io.tmpdir=$work/tmp"
launch_properties+=",deployer.anonymiser.local.working-directories-root=$work/task-logs"
launch() { # launch <definition> <arguments>: prints the task execution id
    curl -sSf -XPOST "$dataflow/tasks/executions/launch" -d "name=$1" --data-urlencode "arguments=$2" \
        --data-urlencode "properties=$launch_properties" | json "d['executionId']"
}
await() { # await <task execution id>: waits for its end, prints its exit code
    local started=$SECONDS exit_code
    while true; do
        exit_code=$(get "/tasks/executions/$1?schemaTarget=boot3" | json "d['exitCode']")
        if [[ $exit_code != None ]]; then echo "$exit_code"; return; fi
        if (( SECONDS - started >= timeout )); then
            log "task execution $1 did not end within ${timeout}s; its logs:" >&2
            tail -n 40 "$work"/task-logs/*/*/stdout.log >&2 || true
            return 1
        fi
        sleep 2
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
