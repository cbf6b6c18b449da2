#!/usr/bin/env bash
# Nightly schedules on Spring Cloud Data Flow for Kubernetes (Data Flow's scheduler turns each into a Kubernetes
# CronJob; the local server has no scheduler). Run after config/dataflow/tasks.sh created the definitions.
#
#   DATAFLOW_URL=http://scdf-server:9393 config/dataflow/schedules.sh
#
# Every schedule passes what every launch needs:
#   - SPRING_BATCH_JDBC_SCHEMA_LEGACY=true: Spring Batch 6 reads the legacy sequence name (BOOT3_BATCH_JOB_SEQ, as
#     Data Flow created it) from this environment variable or from -Dspring.batch.jdbc.schema.legacy=true, never from
#     an application property;
#   - the product database password from a Kubernetes secret (key ANONYMISER_DATASOURCE_PASSWORD), never in a
#     definition: kubectl create secret generic anonymiser-db --from-literal=ANONYMISER_DATASOURCE_PASSWORD=...
#   - the storage dir (exports, error files, uploads) on a volume shared by all tasks and the web UI.
# Cron expressions here are the 5-field Kubernetes ones (min hour day month weekday), in the cluster's time zone.
#
# Scheduled arguments are static. exportPurgeJob is a new job instance at every run (its asOf defaults to the launch
# time), so it schedules as is. A nightly exportJob needs a new exportName every night (a job instance is
# clubId+inactivityMonths+exportName+requestedBy, and a completed one never runs again): use the server's nightly
# mode (anonymiser.schedule.export, names them nightly-<date>) or plain cron (config/cron/crontab.example).
set -euo pipefail

dataflow=${DATAFLOW_URL:-http://localhost:9393}
app=${APP_NAME:-anonymiser}
prefix=${TASK_PREFIX:-anonymiser-}
k8s="deployer.$app.kubernetes"
common="$k8s.environmentVariables=SPRING_BATCH_JDBC_SCHEMA_LEGACY=true"
common+=",$k8s.secretRefs=anonymiser-db"
common+=",$k8s.volumes=[{name: storage, persistentVolumeClaim: {claimName: anonymiser-storage}}]"
common+=",$k8s.volumeMounts=[{name: storage, mountPath: /var/lib/club-anonymiser}]"

schedule() { # schedule <name> <definition> <cron> <arguments>
    local status
    status=$(curl -sS -o /dev/stderr -w '%{http_code}' -XPOST "$dataflow/tasks/schedules" \
        -d "scheduleName=$1" -d "taskDefinitionName=$prefix$2" \
        --data-urlencode "properties=scheduler.cron.expression=$3,$common" \
        --data-urlencode "arguments=$4")
    [[ $status == 2* ]] || { echo "schedule $1: HTTP $status" >&2; return 1; }
    echo "scheduled $1: $prefix$2 at '$3' $4"
}

# Expired export files (anonymiser.export.retention) deleted every night at 02:15.
schedule anonymiser-export-purge-nightly export-purge "15 2 * * *" ""

# 03:45 every night, after the imports and the export purge: anonymised values removed from the database's files
# (PostgreSQL: VACUUM FULL of the member-data tables; H2: reports only; Oracle: refused). Run with the tables' owner.
schedule anonymiser-residue-purge-nightly residue-purge "45 3 * * *" ""

# List them: curl $DATAFLOW_URL/tasks/schedules ; delete one: curl -XDELETE $DATAFLOW_URL/tasks/schedules/<name>
