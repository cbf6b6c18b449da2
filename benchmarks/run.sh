#!/usr/bin/env bash
# Export and import benchmark against their floors (see benchmarks/README.md). One command, from the repository root:
#   benchmarks/run.sh                      # 100k then 1M members in one club
#   SIZES=100000 benchmarks/run.sh         # one size
# Env: BENCH_WORK (work dir, default /tmp/club-anonymiser-bench), BENCH_REUSE_<N> (an existing storage dir holding a
# seeded anonymiser.mv.db to copy instead of seeding), BENCH_JFR=1 (a JFR recording per job), BENCH_HEAP (256m),
# BENCH_BUILD=0 (reuse the built jar), BENCH_JAVA_OPTS (extra JVM options for every JVM), BENCH_JIT_FLAGS (the JIT
# options of every JVM; default: the recompilation cutoffs of docs/operations.md; "" for the JVM's defaults).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZES=${SIZES:-"100000 1000000"}
WORK=${BENCH_WORK:-/tmp/club-anonymiser-bench}
HEAP=${BENCH_HEAP:-256m}
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
unzip -q -o -j "$JAR" 'BOOT-INF/lib/h2-*.jar' -d "$WORK/lib"
H2_JAR=$(ls "$WORK"/lib/h2-[0-9]*.jar | head -1)
FLOOR_CP=$WORK/lib/floors:$H2_JAR

# The floors open the database with the application's H2 settings (batch-app application.yml).
H2_OPTIONS=";AUTO_COMPACT_FILL_RATE=0"
PHASES=${BENCH_PHASES:-"export import"}
now() { date +%s.%N; }
load() { cut -d' ' -f1 /proc/loadavg; }
sql() { java -cp "$H2_JAR" org.h2.tools.Shell -url "jdbc:h2:file:$1/anonymiser" -user sa -sql "$2" | sed -n 2p | tr -d ' '; }
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
    grep -oE 'compacted after anonymisation \([0-9]+ ms\)' "$1" | grep -oE '[0-9]+' \
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

# run <label> <dir-to-poll> <command...>: wall time (s), and the peak size of <dir-to-poll> (MB) polled every 0.2 s.
run() {
    local label=$1 poll=$2; shift 2
    local start peak=0 size pid rc
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
        $JIT_FLAGS ${BENCH_JAVA_OPTS:-}
}
# Deoptimizations recorded by a JVM (jdk.Deoptimization events).
deopts() { jfr summary "$RUN/$1.jfr" 2> /dev/null | awk '$1 == "jdk.Deoptimization" { print $2 }'; }

RESULTS=$WORK/results.tsv
COLUMNS='size phase job_wall_s floor_wall_s wall_ratio job_cpu_s floor_cpu_s cpu_ratio job_heap_mb floor_heap_mb'
COLUMNS="$COLUMNS job_live_mb floor_live_mb"
COLUMNS="$COLUMNS tmp_peak_mb temp_files_left rows floor_rows load job_internal_s compaction_s job_deopts floor_deopts"
COLUMNS="$COLUMNS stamp"
# A results file of an older layout is moved aside rather than mixed with this one's columns.
if [ -f "$RESULTS" ] && [ "$(head -1 "$RESULTS")" != "$(echo $COLUMNS | tr ' ' '\t')" ]; then
    mv "$RESULTS" "$RESULTS.$(date -u +%Y%m%dT%H%M%S)"
fi
[ -f "$RESULTS" ] || echo $COLUMNS | tr ' ' '\t' > "$RESULTS"
# record <phase> <job label> <floor label> <tmp peak> <files left> <rows> <floor rows> <load>
record() {
    local jw fw jc fc
    jw=$(awk '{ print $1 }' "$RUN/$2.wall"); fw=$(awk '{ print $1 }' "$RUN/$3.wall")
    jc=$(awk 'END { printf "%.1f", $1 + $2 }' "$RUN/$2.time"); fc=$(awk 'END { printf "%.1f", $1 + $2 }' "$RUN/$3.time")
    printf '%s\t' $N $1 $jw $fw "$(echo "scale=2; $jw / $fw" | bc)" $jc $fc "$(echo "scale=2; $jc / $fc" | bc)" \
        "$(peak_heap "$RUN/$2-gc.log")" "$(peak_heap "$RUN/$3-gc.log")" \
        "$(peak_live "$RUN/$2-gc.log")" "$(peak_live "$RUN/$3-gc.log")" $4 $5 $6 $7 $8 "$(job_seconds "$RUN/$2.log")" \
        "$(compaction_seconds "$RUN/$2.log")" "$(deopts $2)" "$(deopts $3)" \
        >> "$RESULTS"
    echo $STAMP >> "$RESULTS"
}

for N in $SIZES; do
    BASE=$WORK/base/m$N
    if [ ! -f "$BASE/anonymiser.mv.db" ]; then
        mkdir -p "$BASE"
        reuse_var=BENCH_REUSE_$N
        if [ -n "${!reuse_var:-}" ]; then
            echo "== m$N: copying the seeded database from ${!reuse_var}"
            cp "${!reuse_var}/anonymiser.mv.db" "$BASE/"
        else
            echo "== m$N: seeding $N members in one club (demoDataJob)"
            (cd "$BASE/.." && nice -n 10 java -jar "$JAR" --spring.batch.job.name=demoDataJob members=$N clubs=1 \
                seed=42 asOf=$AS_OF --anonymiser.storage-dir="$BASE" \
                --spring.datasource.url="jdbc:h2:file:$BASE/anonymiser" > "$BASE.seed.log" 2>&1)
        fi
    fi
    # Undo what an earlier run's import did, so the same members are eligible again (benchmark only).
    java -cp "$H2_JAR" org.h2.tools.RunScript -url "jdbc:h2:file:$BASE/anonymiser" -user sa \
        -script "$WORK/lib/reset.sql"

    RUN=$WORK/run/m$N
    rm -rf "$RUN"; mkdir -p "$RUN/data"
    cp "$BASE/anonymiser.mv.db" "$RUN/data/"
    cd "$RUN"
    STAMP=$(date -u +%Y%m%dT%H%M%S)

    echo "== m$N: exportJob"
    EXPORT_LOAD=$(load)
    run export-job "$RUN/data/tmp" $(jvm export-job) -jar "$JAR" --spring.batch.job.name=exportJob clubId=1 \
        inactivityMonths=$MONTHS exportName=Bench-$STAMP requestedBy=$USER_NAME asOf=$AS_OF
    EXPORT_TMP=$TMP_PEAK
    EXPORT_LEFT=$(find "$RUN/data/tmp" -type f ! -name .lock 2> /dev/null | wc -l)
    EXPORT_ID=$(sql "$RUN/data" "select max(id) from anonymisation_export")
    EXPORT_ROWS=$(sql "$RUN/data" "select row_count from anonymisation_export where id = $EXPORT_ID")

    echo "== m$N: export floor"
    run export-floor "$RUN/data/tmp" $(jvm export-floor) -cp "$FLOOR_CP" org.clubanonymiser.benchmarks.ExportFloor \
        "jdbc:h2:file:$RUN/data/anonymiser$H2_OPTIONS" 1 $AS_OF $MONTHS "$RUN/export-floor.zip"
    EXPORT_FLOOR_ROWS=$(grep -oE 'rows=[0-9]+' "$RUN/export-floor.log" | cut -d= -f2)
    record export export-job export-floor "$EXPORT_TMP" "$EXPORT_LEFT" "$EXPORT_ROWS" "$EXPORT_FLOOR_ROWS" "$EXPORT_LOAD"

    # What the export's manifest costs at least: the same floor, plus the eligible rows and their fingerprints inserted
    # into a scratch copy of the manifest table, one transaction per page (dropped at the end).
    echo "== m$N: export floor with the manifest"
    run export-manifest-floor "$RUN/data/tmp" $(jvm export-manifest-floor) -cp "$FLOOR_CP" \
        org.clubanonymiser.benchmarks.ExportFloor "jdbc:h2:file:$RUN/data/anonymiser$H2_OPTIONS" 1 $AS_OF $MONTHS \
        "$RUN/export-manifest-floor.zip" manifest
    MANIFEST_FLOOR_ROWS=$(grep -oE 'rows=[0-9]+' "$RUN/export-manifest-floor.log" | cut -d= -f2)
    record export+manifest export-job export-manifest-floor "$EXPORT_TMP" "$EXPORT_LEFT" "$EXPORT_ROWS" \
        "$MANIFEST_FLOOR_ROWS" "$EXPORT_LOAD"

    if [[ " $PHASES " == *" import "* ]]; then
        echo "== m$N: LibreOffice re-save"
        mkdir -p x resaved
        unzip -q -o data/exports/*.zip -d x
        soffice -env:UserInstallation=file://$WORK/lo-profile --headless --norestore --convert-to xlsx \
            --outdir resaved x/*.xlsx > lo.log 2>&1
        FILE=$(ls "$RUN"/resaved/*.xlsx)
        # The import floor anonymises: it gets its own copy of the database as the import job finds it, and runs
        # first (an import may delete its upload).
        mkdir -p "$RUN/floordata"; cp "$RUN/data/anonymiser.mv.db" "$RUN/floordata/"

        echo "== m$N: import floor"
        run import-floor "$RUN/floordata" $(jvm import-floor) -cp "$FLOOR_CP" org.clubanonymiser.benchmarks.ImportFloor \
            "jdbc:h2:file:$RUN/floordata/anonymiser$H2_OPTIONS" "$FILE" "$EXPORT_ID"
        IMPORT_FLOOR_ROWS=$(grep -oE 'anonymised=[0-9]+' "$RUN/import-floor.log" | cut -d= -f2)
        rm -rf "$RUN/floordata"

        # What the import's checks cost at least: the same floor plus the job's per-chunk facts, claims, locks and
        # re-check, and its completion's erasure (ImportFloor's "checks" mode), on another copy.
        echo "== m$N: import floor with the checks"
        mkdir -p "$RUN/checkdata"; cp "$RUN/data/anonymiser.mv.db" "$RUN/checkdata/"
        run import-checks-floor "$RUN/checkdata" $(jvm import-checks-floor) -cp "$FLOOR_CP" \
            org.clubanonymiser.benchmarks.ImportFloor "jdbc:h2:file:$RUN/checkdata/anonymiser$H2_OPTIONS" "$FILE" \
            "$EXPORT_ID" checks
        CHECKS_FLOOR_ROWS=$(grep -oE 'anonymised=[0-9]+' "$RUN/import-checks-floor.log" | cut -d= -f2)
        rm -rf "$RUN/checkdata"
        echo "== m$N: importJob"
        IMPORT_LOAD=$(load)
        run import-job "$RUN/data/tmp" $(jvm import-job) -jar "$JAR" --spring.batch.job.name=importJob \
            file="$FILE" requestedBy=$USER_NAME
        IMPORT_TMP=$TMP_PEAK
        IMPORT_LEFT=$(find "$RUN/data/tmp" -type f ! -name .lock 2> /dev/null | wc -l)
        IMPORTED=$(sql "$RUN/data" "select members_anonymised from anonymisation_import where export_id = $EXPORT_ID")

        record import import-job import-floor "$IMPORT_TMP" "$IMPORT_LEFT" "$IMPORTED" "$IMPORT_FLOOR_ROWS" "$IMPORT_LOAD"
        record import+checks import-job import-checks-floor "$IMPORT_TMP" "$IMPORT_LEFT" "$IMPORTED" \
            "$CHECKS_FLOOR_ROWS" "$IMPORT_LOAD"
    fi
    rm -rf "$RUN/floordata" "$RUN/data/anonymiser.mv.db" "$RUN/x"
    cd "$WORK"
done

echo
echo "Results ($RESULTS, latest run per size and phase):"
awk -F'\t' -f "$WORK/lib/table.awk" "$RESULTS"
