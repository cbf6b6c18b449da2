#!/usr/bin/env bash
# Export and import benchmark against their floors (see benchmarks/README.md). One command, from the repository root:
#   benchmarks/run.sh                      # 100k then 1M members in one club, embedded H2 (the default database)
#   SIZES=100000 benchmarks/run.sh         # one size
#   BENCH_DB=postgresql benchmarks/run.sh  # the same on a PostgreSQL server the harness starts (embedded-postgres)
# Env: BENCH_WORK (work dir, default /tmp/club-anonymiser-bench), BENCH_CDS (1: the jobs start from the extracted jar
# with a class-data sharing archive, as docs/operations.md recommends; 0: java -jar), BENCH_REUSE_<N> (an existing storage dir holding a
# seeded anonymiser.mv.db to copy instead of seeding), BENCH_JFR=1 (a JFR recording per job), BENCH_HEAP (256m),
# BENCH_GC_FLAGS (the collector of every JVM, default -XX:+UseParallelGC as for task mode; "" for G1),
# BENCH_BUILD=0 (reuse the built jar), BENCH_JAVA_OPTS (extra JVM options for every JVM), BENCH_JIT_FLAGS (the JIT
# options of every JVM; default: the recompilation cutoffs of docs/operations.md; "" for the JVM's defaults), BENCH_JOB_ARGS (extra
# arguments of both jobs, e.g. a setting under test). PostgreSQL: BENCH_PG_URL (a server of yours, e.g.
# jdbc:postgresql://db:5432/, instead of the embedded one), BENCH_PG_USER / BENCH_PG_PASSWORD, BENCH_PG_PORT (55432),
# BENCH_PG_OPTIONS (the jobs' and floors' URL parameters, default "?reWriteBatchedInserts=true"),
# BENCH_PG_SETTINGS (the embedded server's settings).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZES=${SIZES:-"100000 1000000"}
WORK=${BENCH_WORK:-/tmp/club-anonymiser-bench}
HEAP=${BENCH_HEAP:-256m}
# The collector of every JVM, jobs and floors alike: the throughput collector the operations guide recommends for task
# mode (BENCH_GC_FLAGS="" for the JVM's default, G1).
GC_FLAGS=${BENCH_GC_FLAGS-"-XX:+UseParallelGC"}
AS_OF=2026-11-29
MONTHS=36
USER_NAME=admin.multi
JAR=$ROOT/batch-app/target/club-anonymiser.jar
mkdir -p "$WORK/lib"

if [ "${BENCH_BUILD:-1}" = 1 ]; then
    (cd "$ROOT" && ./mvnw -o -q -B -Pbenchmarks package -DskipTests)
fi
command -v soffice > /dev/null || { echo "LibreOffice (soffice) is needed to re-save the export" >&2; exit 2; }
# Run copies: the worktree can be rebuilt while a benchmark runs. The floors use the H2 driver the application ships.
cp "$JAR" "$WORK/lib/club-anonymiser.jar"
JAR=$WORK/lib/club-anonymiser.jar
rm -rf "$WORK/lib/floors"; cp -r "$ROOT/benchmarks/target/classes" "$WORK/lib/floors"
cp "$ROOT/benchmarks/sql/reset.sql" "$WORK/lib/reset.sql"
cp "$ROOT/benchmarks/table.awk" "$WORK/lib/table.awk"
cp "$ROOT/benchmarks/deoptimizations.jfc" "$WORK/lib/deoptimizations.jfc"
unzip -q -o -j "$JAR" 'BOOT-INF/lib/h2-*.jar' 'BOOT-INF/lib/postgresql-*.jar' 'BOOT-INF/lib/batch-jobs-*.jar' \
    -d "$WORK/lib"
H2_JAR=$(ls "$WORK"/lib/h2-[0-9]*.jar | head -1)
PG_JAR=$(ls "$WORK"/lib/postgresql-[0-9]*.jar | head -1)
# The floors use the drivers the application ships; H2's Shell and RunScript run the harness's own SQL on both. The
# product's classes are there for one only: the H2 trigger that refuses a retired badge number (a Java class H2 loads
# when the import floors retire badges; PostgreSQL's is PL/pgSQL).
FLOOR_CP=$WORK/lib/floors:$H2_JAR:$PG_JAR:$(ls "$WORK"/lib/batch-jobs-*.jar | head -1)
SQL_CP=$H2_JAR:$PG_JAR

# BENCH_CDS=1 (the default): the jobs run as docs/operations.md recommends for task mode ("Start-up time"), from the
# jar extracted by Spring Boot's jarmode=tools with a class-data sharing archive written by a training run (the same
# jar, demoWalkthroughJob on a 1,000-member scratch database: demo data, export and import, so the archive holds both
# jobs' classes); BENCH_CDS=0 runs them with java -jar.
JOB_LAUNCH="-jar $JAR"
if [ "${BENCH_CDS:-1}" = 1 ]; then
    rm -rf "$WORK/lib/extracted" "$WORK/lib/cds-training" "$WORK/lib/app.jsa"
    java -Djarmode=tools -jar "$JAR" extract --destination "$WORK/lib/extracted" > /dev/null
    TRAIN=$WORK/lib/cds-training
    mkdir -p "$TRAIN"
    # shellcheck disable=SC2086
    java -Xmx$HEAP $GC_FLAGS ${BENCH_JAVA_OPTS:-} -XX:ArchiveClassesAtExit="$WORK/lib/app.jsa" \
        -jar "$WORK/lib/extracted/club-anonymiser.jar" --spring.datasource.url="jdbc:h2:file:$TRAIN/anonymiser" \
        --anonymiser.storage-dir="$TRAIN" --spring.batch.job.name=demoWalkthroughJob members=1000 clubs=1 \
        > "$TRAIN.log" 2>&1
    [ -s "$WORK/lib/app.jsa" ] || { echo "no CDS archive written (see $TRAIN.log)" >&2; exit 1; }
    rm -rf "$TRAIN"
    JOB_LAUNCH="-XX:SharedArchiveFile=$WORK/lib/app.jsa -jar $WORK/lib/extracted/club-anonymiser.jar"
fi

# The floors open the database with the application's H2 settings (batch-app application.yml).
H2_OPTIONS=";AUTO_COMPACT_FILL_RATE=0"
PHASES=${BENCH_PHASES:-"export import"}
DB=${BENCH_DB:-h2}
now() { date +%s.%N; }
load() { cut -d' ' -f1 /proc/loadavg; }

# Databases. H2: one file per copy, <dir>/anonymiser.mv.db. PostgreSQL: one database per copy on one server, copied
# with CREATE DATABASE ... TEMPLATE (a file copy on the server).
case $DB in
    h2)
        DB_USER=sa; DB_PASSWORD=
        ;;
    postgresql)
        DB_USER=${BENCH_PG_USER:-postgres}; DB_PASSWORD=${BENCH_PG_PASSWORD:-}
        # reWriteBatchedInserts: the driver sends a JDBC batch of INSERTs as multi-row INSERTs (RESULTS.md).
        PG_OPTIONS=${BENCH_PG_OPTIONS-"?logServerErrorDetail=false&reWriteBatchedInserts=true"}
        if [ -n "${BENCH_PG_URL:-}" ]; then
            PG_SERVER=${BENCH_PG_URL%/}/
        else
            # The embedded server of the tests (embedded-postgres: PostgreSQL 14) on a data dir kept between runs, with its
            # settings (fsync and synchronous_commit off: BENCH_PG_SETTINGS="fsync=on synchronous_commit=on" for
            # PostgreSQL's own durable defaults).
            PG_DATA=$WORK/pg/data
            mkdir -p "$WORK/pg"; rm -rf "$WORK/lib/pgserver"; cp -r "$ROOT/benchmarks/target/lib" "$WORK/lib/pgserver"
            rm -f "$PG_DATA.url"
            PG_SETTINGS=${BENCH_PG_SETTINGS:-}
            [ "${BENCH_PG_STATEMENTS:-0}" = 1 ] && PG_SETTINGS="$PG_SETTINGS shared_preload_libraries=pg_stat_statements"
            # shellcheck disable=SC2086
            java -Xmx64m -cp "$WORK/lib/floors:$WORK/lib/pgserver/*" org.clubanonymiser.benchmarks.PostgresServer \
                "$PG_DATA" "${BENCH_PG_PORT:-55432}" $PG_SETTINGS \
                > "$WORK/pg/server.log" 2>&1 &
            PG_PID=$!
            trap 'kill $PG_PID 2> /dev/null; wait $PG_PID 2> /dev/null || true' EXIT
            for _ in $(seq 1 600); do [ -f "$PG_DATA.url" ] && break; kill -0 $PG_PID || break; sleep 0.5; done
            [ -f "$PG_DATA.url" ] || { echo "PostgreSQL did not start, see $WORK/pg/server.log" >&2; exit 1; }
            PG_SERVER=$(cat "$PG_DATA.url")
        fi
        ;;
    *) echo "BENCH_DB is h2 or postgresql" >&2; exit 2 ;;
esac
# db_url <copy>: the JDBC URL of a copy (H2: a storage dir holding anonymiser.mv.db; PostgreSQL: a database name).
db_url() {
    if [ $DB = h2 ]; then echo "jdbc:h2:file:$1/anonymiser$H2_OPTIONS"; else echo "$PG_SERVER$1$PG_OPTIONS"; fi
}
# sql <copy> <query>: the first value of the first row.
sql() {
    java -cp "$SQL_CP" org.h2.tools.Shell -url "$(db_url "$1")" -user "$DB_USER" -password "$DB_PASSWORD" -sql "$2" \
        | sed -n 2p | tr -d ' '
}
# sql_script <copy> <file>
sql_script() {
    java -cp "$SQL_CP" org.h2.tools.RunScript -url "$(db_url "$1")" -user "$DB_USER" -password "$DB_PASSWORD" \
        -script "$2"
}
# copy_db <from> <to>: <to> becomes a copy of <from> (replaced if it exists).
copy_db() {
    if [ $DB = h2 ]; then
        rm -rf "$2"; mkdir -p "$2"; cp "$1/anonymiser.mv.db" "$2/"
        return
    fi
    sql postgres "drop database if exists $2" > /dev/null
    # The copy needs the source to itself: an autovacuum worker on it makes CREATE DATABASE fail; try again.
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        java -cp "$SQL_CP" org.h2.tools.Shell -url "$(db_url postgres)" -user "$DB_USER" -password "$DB_PASSWORD" \
            -sql "create database $2 template $1" > "$WORK/copy.log" 2>&1 && ! grep -q Error "$WORK/copy.log" && return
        sleep 3
    done
    cat "$WORK/copy.log" >&2; exit 1
}
drop_db() {
    if [ $DB = h2 ]; then rm -rf "$1"; else sql postgres "drop database if exists $1" > /dev/null; fi
}
# CPU seconds the PostgreSQL server has used so far (the postmaster, its live processes and the backends it reaped):
# on PostgreSQL most of a job's database work is there, not in the JVM that /usr/bin/time measures. Empty for H2 and
# for a server given by URL.
server_cpu() {
    [ $DB = postgresql ] && [ -n "${PG_DATA:-}" ] && [ -f "$PG_DATA/postmaster.pid" ] || return 0
    local master
    master=$(head -1 "$PG_DATA/postmaster.pid")
    # Fields 14-17 of /proc/<pid>/stat: utime, stime, cutime, cstime (clock ticks).
    { cat "/proc/$master/stat"; for child in $(pgrep -P "$master"); do cat "/proc/$child/stat" 2> /dev/null; done; } \
        | awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); t += $12 + $13 + $14 + $15 } END { printf "%.1f", t / hz }'
}
# BENCH_PG_STATEMENTS=1: where each job's server time goes, from pg_stat_statements (reset before the job, the top
# statements by total execution time written to <label>-statements.txt after it).
statements() {
    [ "${BENCH_PG_STATEMENTS:-0}" = 1 ] || return 0
    if [ "$1" = reset ]; then
        sql postgres "create extension if not exists pg_stat_statements" > /dev/null
        sql postgres "select pg_stat_statements_reset()" > /dev/null
        return
    fi
    java -cp "$SQL_CP" org.h2.tools.Shell -url "$(db_url postgres)" -user "$DB_USER" -password "$DB_PASSWORD" -sql "
        select calls, round(total_exec_time) as total_ms, rows,
            left(regexp_replace(query, '\s+', ' ', 'g'), 160) as query
        from pg_stat_statements order by total_exec_time desc limit 25" > "$RUN/$1-statements.txt"
}
# The jobs' database arguments (H2: the application's default URL under the run dir, as a user runs it).
job_db_args() {
    if [ $DB = postgresql ]; then
        echo "--spring.datasource.url=$(db_url "$1") --spring.datasource.username=$DB_USER" \
            "--spring.datasource.password=$DB_PASSWORD --anonymiser.storage-dir=$RUN/data"
    fi
}
# Peak heap = the largest heap occupancy right after a GC (the live set plus what survived), in MB.
peak_heap() { grep -oE '[0-9]+M->[0-9]+M' "$1" | sed -E 's/.*->([0-9]+)M/\1/' | sort -n | tail -1; }
# G1 at a 256 MB cap grows the heap to the cap and lets old garbage pile up until a mixed or full collection, so
# the peak after any GC says little. The peak right after a full GC (G1 runs them under pressure) is the live set
# that must fit; without any full GC, the peak after mixed collections is given instead (marked ~).
peak_live() {
    local full
    full=$(grep -E 'Pause Full' "$1" | grep -oE '[0-9]+M->[0-9]+M' | sed -E 's/.*->([0-9]+)M/\1/' | sort -n | tail -1)
    if [ -n "$full" ]; then echo "$full"; return; fi
    echo "~$(grep -E 'Pause Young \(Mixed\)' "$1" | grep -oE '[0-9]+M->[0-9]+M' | sed -E 's/.*->([0-9]+)M/\1/' \
        | sort -n | tail -1)"
}
# Seconds the application spent compacting the H2 file at close (H2FileCompaction), 0 when it did not.
compaction_seconds() {
    grep -oE 'H2 database file compacted \(close\): .* [0-9]+ ms' "$1" | grep -oE '[0-9]+ ms$' | grep -oE '[0-9]+' \
        | awk '{ s += $1 } END { printf "%.1f", s / 1000 }'
}
# "Job: [...] completed ... in 5m42s123ms" -> seconds
job_seconds() {
    grep -E "Job: \[.*\] completed" "$1" | tail -1 | grep -oE 'in ([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?$' \
        | sed -E 's/^in //' | awk '{ s=0; t=$0;
            if (match(t,/[0-9]+h/)) { s+=substr(t,RSTART,RLENGTH-1)*3600 }
            if (match(t,/[0-9]+m[^s]/) || match(t,/[0-9]+m$/)) { v=substr(t,RSTART); sub(/m.*/,"",v); s+=v*60 }
            if (match(t,/[0-9]+s/)) { v=substr(t,RSTART,RLENGTH-1); if (t ~ /[0-9]+m[0-9]+s/ || t ~ /^[0-9]+s/) s+=v }
            if (match(t,/[0-9]+ms/)) { s+=substr(t,RSTART,RLENGTH-2)/1000 }
            printf "%.1f", s }'
}

# run <label> <dir-to-poll> <command...>: wall time (s), and the peak size of <dir-to-poll> (MB) polled every 0.2 s;
# the 1-minute load average at its start is kept beside it.
run() {
    local label=$1 poll=$2; shift 2
    local start peak=0 size pid rc
    load > "$RUN/$label.load"
    local server_start
    server_start=$(server_cpu)
    start=$(now)
    /usr/bin/time -f '%U %S' -o "$RUN/$label.time" "$@" > "$RUN/$label.log" 2>&1 &
    pid=$!
    while kill -0 $pid 2> /dev/null; do
        size=$(du -sb "$poll" 2> /dev/null | cut -f1 || echo 0)
        [ "${size:-0}" -gt "$peak" ] && peak=$size
        sleep 0.2
    done
    wait $pid && rc=0 || rc=$?
    WALL=$(echo "scale=1; ($(now) - $start) / 1" | bc)
    CPU=$(awk 'END { printf "%.1f", $1 + $2 }' "$RUN/$label.time")
    echo "$WALL $CPU" > "$RUN/$label.wall"
    # Backends are reaped when their connection closes, the JVM's last act: their CPU is in the postmaster's by now.
    if [ -n "$server_start" ]; then
        echo "scale=1; ($(server_cpu) - $server_start) / 1" | bc > "$RUN/$label.server"
    else
        echo "" > "$RUN/$label.server"
    fi
    TMP_PEAK=$(echo "scale=1; $peak / 1048576" | bc)
    [ $rc = 0 ] || { echo "$label failed (rc=$rc), see $RUN/$label.log" >&2; tail -20 "$RUN/$label.log" >&2; exit 1; }
}

# Every JVM, jobs and floors alike, runs with the recompilation cutoffs recommended in docs (JDK-8374307: past 200
# recompilations C2 keeps a trap it no longer recompiles, H2's Cursor.hasNext fell into it once: a 1M export 10x
# slower, see RESULTS.md), and records its deoptimizations (a few hundred when healthy, millions in a storm).
JIT_FLAGS=${BENCH_JIT_FLAGS-"-XX:PerMethodRecompilationCutoff=10000 -XX:PerBytecodeRecompilationCutoff=10000"}
jvm() {
    local label=$1; shift
    local jfc=$WORK/lib/deoptimizations.jfc
    [ "${BENCH_JFR:-0}" = 1 ] && jfc=profile
    echo java -Xmx$HEAP "-Xlog:gc:file=$RUN/$label-gc.log" "-XX:StartFlightRecording=filename=$RUN/$label.jfr,settings=$jfc" \
        $JIT_FLAGS $GC_FLAGS ${BENCH_JAVA_OPTS:-}
}
# Deoptimizations recorded by a JVM (jdk.Deoptimization events).
deopts() { jfr summary "$RUN/$1.jfr" 2> /dev/null | awk '$1 == "jdk.Deoptimization" { print $2 }'; }

# One results file per database (H2's keeps its historical name).
RESULTS=$WORK/results.tsv
[ $DB = h2 ] || RESULTS=$WORK/results-$DB.tsv
COLUMNS='size phase job_wall_s floor_wall_s wall_ratio job_cpu_s floor_cpu_s cpu_ratio job_heap_mb floor_heap_mb'
COLUMNS="$COLUMNS job_live_mb floor_live_mb"
COLUMNS="$COLUMNS tmp_peak_mb temp_files_left rows floor_rows load job_internal_s compaction_s job_deopts floor_deopts"
COLUMNS="$COLUMNS job_server_cpu_s floor_server_cpu_s stamp"
# A results file of an older layout is moved aside rather than mixed with this one's columns.
if [ -f "$RESULTS" ] && [ "$(head -1 "$RESULTS")" != "$(echo $COLUMNS | tr ' ' '\t')" ]; then
    mv "$RESULTS" "$RESULTS.$(date -u +%Y%m%dT%H%M%S)"
fi
[ -f "$RESULTS" ] || echo $COLUMNS | tr ' ' '\t' > "$RESULTS"
# record <phase> <job label> <floor label> <tmp peak> <files left> <rows> <floor rows>; the load column is the 1-minute
# load average at the start of the job / of the floor.
record() {
    local jw fw jc fc
    jw=$(awk '{ print $1 }' "$RUN/$2.wall"); fw=$(awk '{ print $1 }' "$RUN/$3.wall")
    jc=$(awk 'END { printf "%.1f", $1 + $2 }' "$RUN/$2.time"); fc=$(awk 'END { printf "%.1f", $1 + $2 }' "$RUN/$3.time")
    printf '%s\t' $N $1 $jw $fw "$(echo "scale=2; $jw / $fw" | bc)" $jc $fc "$(echo "scale=2; $jc / $fc" | bc)" \
        "$(peak_heap "$RUN/$2-gc.log")" "$(peak_heap "$RUN/$3-gc.log")" \
        "$(peak_live "$RUN/$2-gc.log")" "$(peak_live "$RUN/$3-gc.log")" $4 $5 $6 $7 \
        "$(cat "$RUN/$2.load")/$(cat "$RUN/$3.load")" "$(job_seconds "$RUN/$2.log")" \
        "$(compaction_seconds "$RUN/$2.log")" "$(deopts $2)" "$(deopts $3)" "$(cat "$RUN/$2.server")" \
        "$(cat "$RUN/$3.server")" >> "$RESULTS"
    echo $STAMP >> "$RESULTS"
}

# seed <N> <base copy>: the demo club of N members, once (H2: or a copy of $BENCH_REUSE_<N>).
seed() {
    local reuse_var=BENCH_REUSE_$1
    if [ $DB = h2 ]; then
        [ -f "$2/anonymiser.mv.db" ] && return
        mkdir -p "$2"
        if [ -n "${!reuse_var:-}" ]; then
            echo "== m$1: copying the seeded database from ${!reuse_var}"
            cp "${!reuse_var}/anonymiser.mv.db" "$2/"
            return
        fi
        set -- "$1" "$2" "$2.seed.log" "--anonymiser.storage-dir=$2" \
            "--spring.datasource.url=jdbc:h2:file:$2/anonymiser"
    else
        # A complete base has its N members (a seed killed half-way is seeded again).
        [ "$(sql "$2" "select count(*) from member" 2> /dev/null)" = "$1" ] && return
        sql postgres "drop database if exists $2" > /dev/null
        sql postgres "create database $2" > /dev/null
        mkdir -p "$WORK/base/$2"
        set -- "$1" "$2" "$WORK/base/$2.seed.log" "--anonymiser.storage-dir=$WORK/base/$2" \
            "--spring.datasource.url=$(db_url "$2")" \
            "--spring.datasource.username=$DB_USER" "--spring.datasource.password=$DB_PASSWORD"
    fi
    echo "== m$1: seeding $1 members in one club (demoDataJob, $DB)"
    (cd "$WORK" && nice -n 10 java -jar "$JAR" --spring.batch.job.name=demoDataJob members=$1 clubs=1 \
        seed=42 asOf=$AS_OF "${@:4}" > "$3" 2>&1)
}

for N in $SIZES; do
    if [ $DB = h2 ]; then
        BASE=$WORK/base/m$N; RUN=$WORK/run/m$N; COPY=$RUN/data; FLOOR_COPY=$RUN/floordata; CHECKS_COPY=$RUN/checkdata
    else
        BASE=bench_m$N; RUN=$WORK/run-$DB/m$N; COPY=run_m$N; FLOOR_COPY=floor_m$N; CHECKS_COPY=checks_m$N
    fi
    mkdir -p "$WORK/base"
    seed $N $BASE
    # Undo what an earlier run's import did, so the same members are eligible again (benchmark only).
    sql_script $BASE "$WORK/lib/reset.sql"
    if [ $DB = postgresql ]; then
        # The base as a maintained server keeps it: autovacuum's ANALYZE after the demo load and the reset, done now so
        # that every run starts from the same statistics and no autovacuum worker holds the template.
        sql $BASE "vacuum analyze" > /dev/null
    fi

    rm -rf "$RUN"; mkdir -p "$RUN/data"
    copy_db $BASE $COPY
    cd "$RUN"
    STAMP=$(date -u +%Y%m%dT%H%M%S)
    # shellcheck disable=SC2046
    set -- $(job_db_args $COPY) ${BENCH_JOB_ARGS:-}
    FLOOR_DB="-Dbench.user=$DB_USER -Dbench.password=$DB_PASSWORD"

    echo "== m$N: exportJob ($DB)"
    statements reset
    run export-job "$RUN/data/tmp" $(jvm export-job) $JOB_LAUNCH --spring.batch.job.name=exportJob clubId=1 \
        inactivityMonths=$MONTHS exportName=Bench-$STAMP requestedBy=$USER_NAME asOf=$AS_OF "$@"
    EXPORT_TMP=$TMP_PEAK
    statements export-job
    EXPORT_LEFT=$(find "$RUN/data/tmp" -type f ! -name .lock 2> /dev/null | wc -l)
    EXPORT_ID=$(sql $COPY "select max(id) from anonymisation_export")
    EXPORT_ROWS=$(sql $COPY "select row_count from anonymisation_export where id = $EXPORT_ID")

    echo "== m$N: export floor"
    run export-floor "$RUN/data/tmp" $(jvm export-floor) $FLOOR_DB -cp "$FLOOR_CP" \
        org.clubanonymiser.benchmarks.ExportFloor "$(db_url $COPY)" 1 $AS_OF $MONTHS "$RUN/export-floor.zip"
    EXPORT_FLOOR_ROWS=$(grep -oE 'rows=[0-9]+' "$RUN/export-floor.log" | cut -d= -f2)
    record export export-job export-floor "$EXPORT_TMP" "$EXPORT_LEFT" "$EXPORT_ROWS" "$EXPORT_FLOOR_ROWS"

    # What the export's manifest costs at least: the same floor, plus the eligible rows and their fingerprints inserted
    # into a scratch copy of the manifest table, one transaction per page (dropped at the end).
    echo "== m$N: export floor with the manifest"
    run export-manifest-floor "$RUN/data/tmp" $(jvm export-manifest-floor) $FLOOR_DB -cp "$FLOOR_CP" \
        org.clubanonymiser.benchmarks.ExportFloor "$(db_url $COPY)" 1 $AS_OF $MONTHS \
        "$RUN/export-manifest-floor.zip" manifest
    MANIFEST_FLOOR_ROWS=$(grep -oE 'rows=[0-9]+' "$RUN/export-manifest-floor.log" | cut -d= -f2)
    record export+manifest export-job export-manifest-floor "$EXPORT_TMP" "$EXPORT_LEFT" "$EXPORT_ROWS" \
        "$MANIFEST_FLOOR_ROWS"

    # The one-statement floor: the eligible set computed by one SQL statement (NOT EXISTS subqueries), streamed and
    # written as the same cells: what reading page by page costs.
    echo "== m$N: export floor in one statement"
    run export-single-floor "$RUN/data/tmp" $(jvm export-single-floor) $FLOOR_DB -cp "$FLOOR_CP" \
        org.clubanonymiser.benchmarks.ExportFloor "$(db_url $COPY)" 1 $AS_OF $MONTHS \
        "$RUN/export-single-floor.zip" single
    SINGLE_FLOOR_ROWS=$(grep -oE 'rows=[0-9]+' "$RUN/export-single-floor.log" | cut -d= -f2)
    record export/one-statement export-job export-single-floor "$EXPORT_TMP" "$EXPORT_LEFT" "$EXPORT_ROWS" \
        "$SINGLE_FLOOR_ROWS"

    if [[ " $PHASES " == *" import "* ]]; then
        echo "== m$N: LibreOffice re-save"
        mkdir -p x resaved
        unzip -q -o data/exports/*.zip -d x
        soffice -env:UserInstallation=file://$WORK/lo-profile --headless --norestore --convert-to xlsx \
            --outdir resaved x/*.xlsx > lo.log 2>&1
        FILE=$(ls "$RUN"/resaved/*.xlsx)
        # The import floor anonymises: it gets its own copy of the database as the import job finds it, and runs
        # first (an import may delete its upload).
        copy_db $COPY $FLOOR_COPY

        echo "== m$N: import floor"
        run import-floor "$RUN/data/tmp" $(jvm import-floor) $FLOOR_DB -cp "$FLOOR_CP" \
            org.clubanonymiser.benchmarks.ImportFloor "$(db_url $FLOOR_COPY)" "$FILE" "$EXPORT_ID"
        IMPORT_FLOOR_ROWS=$(grep -oE 'anonymised=[0-9]+' "$RUN/import-floor.log" | cut -d= -f2)
        drop_db $FLOOR_COPY

        # What the import's checks cost at least: the same floor plus the job's per-chunk facts, claims, locks and
        # re-check, and its completion's erasure (ImportFloor's "checks" mode), on another copy.
        echo "== m$N: import floor with the checks"
        copy_db $COPY $CHECKS_COPY
        run import-checks-floor "$RUN/data/tmp" $(jvm import-checks-floor) $FLOOR_DB -cp "$FLOOR_CP" \
            org.clubanonymiser.benchmarks.ImportFloor "$(db_url $CHECKS_COPY)" "$FILE" "$EXPORT_ID" checks
        CHECKS_FLOOR_ROWS=$(grep -oE 'anonymised=[0-9]+' "$RUN/import-checks-floor.log" | cut -d= -f2)
        drop_db $CHECKS_COPY
        echo "== m$N: importJob ($DB)"
        statements reset
        run import-job "$RUN/data/tmp" $(jvm import-job) $JOB_LAUNCH --spring.batch.job.name=importJob \
            file="$FILE" requestedBy=$USER_NAME "$@"
        IMPORT_TMP=$TMP_PEAK
        statements import-job
        IMPORT_LEFT=$(find "$RUN/data/tmp" -type f ! -name .lock 2> /dev/null | wc -l)
        IMPORTED=$(sql $COPY "select members_anonymised from anonymisation_import where export_id = $EXPORT_ID")

        record import import-job import-floor "$IMPORT_TMP" "$IMPORT_LEFT" "$IMPORTED" "$IMPORT_FLOOR_ROWS"
        record import+checks import-job import-checks-floor "$IMPORT_TMP" "$IMPORT_LEFT" "$IMPORTED" \
            "$CHECKS_FLOOR_ROWS"
    fi
    drop_db $FLOOR_COPY
    if [ $DB = h2 ]; then rm -f "$RUN/data/anonymiser.mv.db"; else drop_db $COPY; fi
    rm -rf "$RUN/x"
    cd "$WORK"
done

echo
echo "Results ($RESULTS, $DB, latest run per size and phase):"
awk -F'\t' -f "$WORK/lib/table.awk" "$RESULTS"
