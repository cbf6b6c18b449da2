#!/usr/bin/env bash
# Registers Club Anonymiser with Spring Cloud Data Flow 2.11.x as a Boot 3 task app (bootVersion=3: Data Flow then
# passes the BOOT3_TASK_ / BOOT3_BATCH_ prefixes and its own spring.datasource.*) and creates one task definition per
# job, each naming its job with --spring.batch.job.name. Job parameters (key=value) are given at launch.
#
#   APP_URI=maven://org.clubanonymiser:batch-app:0.1.0 \
#   PRODUCT_DB_URL=jdbc:postgresql://db:5432/anonymiser PRODUCT_DB_USERNAME=anonymiser \
#   STORAGE_DIR=/var/lib/club-anonymiser config/dataflow/tasks.sh
#
# Environment:
#   DATAFLOW_URL          Data Flow server (default http://localhost:9393)
#   APP_URI               the application: maven://..., docker:..., file:///.../club-anonymiser-<version>.jar (required;
#                         a file or maven URI must end in <artifactId>-<version>.jar, Data Flow reads the version there)
#   APP_NAME              registered name (default anonymiser); deployment properties are deployer.<APP_NAME>.*
#   TASK_PREFIX           prefix of the definition names (default anonymiser-)
#   PRODUCT_DB_URL        the product (member) database, anonymiser.datasource.url (required)
#   PRODUCT_DB_USERNAME   its user (anonymiser.datasource.username). The password is NOT put in a definition: give
#                         it to the platform as ANONYMISER_DATASOURCE_PASSWORD (a Kubernetes secret: docs/operations.md)
#   STORAGE_DIR           anonymiser.storage-dir: exports, error files, uploads (shared by all tasks; required)
#   EXTRA_APP_PROPERTIES  more --key=value application properties appended to every definition (optional)
#   REPLACE=true          delete existing definitions of the same names first
#
# Launch (the legacy sequence name is a JVM system property or an environment variable, never an app property;
# Data Flow keeps a launch's deployment properties for the next launches and for restarts):
#   curl -XPOST $DATAFLOW_URL/tasks/executions/launch -d name=anonymiser-export \
#     --data-urlencode 'arguments=clubId=1 inactivityMonths=36 exportName=march requestedBy=admin.par01' \
#     --data-urlencode 'properties=deployer.anonymiser.local.javaOpts=-Dspring.batch.jdbc.schema.legacy=true'
#   (add the JVM options of docs/operations.md#jvm-options to javaOpts)
# Restart a failed job execution (same job instance, resumes after its last committed chunk):
#   curl -XPUT "$DATAFLOW_URL/jobs/executions/<jobExecutionId>?restart=true&schemaTarget=boot3"
set -euo pipefail

dataflow=${DATAFLOW_URL:-http://localhost:9393}
app=${APP_NAME:-anonymiser}
prefix=${TASK_PREFIX:-anonymiser-}
: "${APP_URI:?APP_URI is required (maven://..., docker:..., file:///...)}"
: "${PRODUCT_DB_URL:?PRODUCT_DB_URL is required (the product database)}"
: "${STORAGE_DIR:?STORAGE_DIR is required}"

post() {
    local path=$1; shift
    local body status
    body=$(mktemp)
    status=$(curl -sS -o "$body" -w '%{http_code}' -XPOST "$dataflow$path" "$@")
    if [[ $status != 2* ]]; then
        echo "POST $path: HTTP $status $(cat "$body")" >&2
        rm -f "$body"
        return 1
    fi
    rm -f "$body"
}

# Registration: bootVersion=3 is what makes Data Flow use its BOOT3_* tables for this app.
post "/apps/task/$app" --data-urlencode "uri=$APP_URI" -d bootVersion=3 -d force=true
echo "registered task app $app (bootVersion=3): $APP_URI"

# The product database and storage, shared by every definition. Quoted: the DSL splits on spaces and ':' is special.
common="--anonymiser.datasource.url='$PRODUCT_DB_URL' --anonymiser.storage-dir='$STORAGE_DIR'"
if [[ -n ${PRODUCT_DB_USERNAME:-} ]]; then
    common="$common --anonymiser.datasource.username='$PRODUCT_DB_USERNAME'"
fi
common="$common ${EXTRA_APP_PROPERTIES:-}"

# One definition per job: the job name is part of the definition, so a launch or a restart can never run another.
while read -r name job; do
    if [[ ${REPLACE:-false} == true ]]; then
        curl -sS -o /dev/null -XDELETE "$dataflow/tasks/definitions/$prefix$name" || true
    fi
    post /tasks/definitions -d "name=$prefix$name" \
        --data-urlencode "definition=$app --spring.batch.job.name=$job $common"
    echo "task definition $prefix$name: $job"
done <<'DEFINITIONS'
export exportJob
import importJob
export-purge exportPurgeJob
residue-purge residuePurgeJob
privacy-report privacyReportJob
anonymise-member anonymiseMemberJob
demo-data demoDataJob
DEFINITIONS
