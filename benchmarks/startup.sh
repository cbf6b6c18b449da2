#!/usr/bin/env bash
# Start-up to the first step in task mode, hyperfine-style (see benchmarks/README.md, "Start-up"): for each variant,
# RUNS launches of the same exportJob command, each timed from just before the JVM is started to the timestamp of
# Spring Batch's first "Executing step" line; prints median, min and max per variant, the median CPU time (user + sys
# of the whole launch, job and exit included: on a shared machine the figure that load does not inflate) and the load
# average around them.
#   benchmarks/startup.sh                                # RUNS=10, variants "jar extracted cds"
#   RUNS=5 VARIANTS="extracted cds" benchmarks/startup.sh
#   BENCH_BASE_JAR=/tmp/old.jar BENCH_BUILD=0 benchmarks/startup.sh   # before/after pairs, launches interleaved
# Variants: jar (java -jar on the fat jar), extracted (the jar extracted by Spring Boot's jarmode=tools), cds (the
# extracted jar with the class-data sharing archive a training run wrote), cds-c1 (cds with -XX:TieredStopAtLevel=1,
# for information only: it slows a long job's throughput). Env: RUNS, VARIANTS, BENCH_WORK (default
# /tmp/club-anonymiser-startup), BENCH_BUILD=0 (reuse the built jar), BENCH_JAR (another jar to measure),
# BENCH_BASE_JAR (a second jar, e.g. the one before a change: every variant is measured for both, their launches
# alternating so that both see the same load), BENCH_JAVA_OPTS (the options of every JVM; default: those the
# operations guide recommends for task mode), STARTUP_ARGS (extra application arguments for every measured launch).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-10}
VARIANTS=${VARIANTS:-"jar extracted cds"}
WORK=${BENCH_WORK:-/tmp/club-anonymiser-startup}
JAVA_OPTS=${BENCH_JAVA_OPTS:-"-Xmx256m -XX:+UseParallelGC -XX:PerMethodRecompilationCutoff=10000 -XX:PerBytecodeRecompilationCutoff=10000"}

if [ "${BENCH_BUILD:-1}" = 1 ]; then
    (cd "$ROOT" && ./mvnw -o -q -B -pl batch-app -am package -DskipTests)
fi
rm -rf "$WORK"; mkdir -p "$WORK"
AS_OF=2026-11-29
DATA=$WORK/data
DB="--spring.datasource.url=jdbc:h2:file:$DATA/anonymiser --anonymiser.storage-dir=$DATA"
load() { cut -d' ' -f1-3 /proc/loadavg; }
export_command() {
    echo "--spring.batch.job.name=exportJob clubId=1 inactivityMonths=36 exportName=Startup-$1 \
requestedBy=admin.multi asOf=$AS_OF $DB ${STARTUP_ARGS:-}"
}

# Each jar measured ("after", and "before" when BENCH_BASE_JAR is given) gets its own copy, extracted layout and CDS
# archive under $WORK/<jar>/; all of them share one database.
JARS=after
[ -z "${BENCH_BASE_JAR:-}" ] || JARS="before after"
for jar in $JARS; do
    mkdir -p "$WORK/$jar"
    if [ "$jar" = before ]; then cp "$BENCH_BASE_JAR" "$WORK/$jar/club-anonymiser.jar"
    else cp "${BENCH_JAR:-$ROOT/batch-app/target/club-anonymiser.jar}" "$WORK/$jar/club-anonymiser.jar"; fi
    # Spring Boot's recipe for class-data sharing: an extracted jar (plain jars in lib/, a manifest class path).
    java -Djarmode=tools -jar "$WORK/$jar/club-anonymiser.jar" extract --destination "$WORK/$jar/extracted" > /dev/null
done

echo "== seeding a small club (demoDataJob), which also migrates the schema"
# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$WORK/after/extracted/club-anonymiser.jar" $DB --spring.batch.job.name=demoDataJob members=200 \
    clubs=1 seed=42 asOf=$AS_OF > "$WORK/seed.log" 2>&1

for jar in $JARS; do
    echo "== CDS training run ($jar): the operations guide's, demoWalkthroughJob on a scratch database (demo data,"
    echo "   export, import); the JVM writes the archive when it exits"
    rm -rf "$WORK/$jar/training"
    # shellcheck disable=SC2086
    java $JAVA_OPTS -XX:ArchiveClassesAtExit="$WORK/$jar/application.jsa" -jar "$WORK/$jar/extracted/club-anonymiser.jar" \
        --spring.datasource.url="jdbc:h2:file:$WORK/$jar/training/anonymiser" --anonymiser.storage-dir="$WORK/$jar/training" \
        --spring.batch.job.name=demoWalkthroughJob members=1000 clubs=1 > "$WORK/$jar/training.log" 2>&1
    [ -s "$WORK/$jar/application.jsa" ] || { echo "no CDS archive written (see $WORK/$jar/training.log)" >&2; exit 1; }
    rm -rf "$WORK/$jar/training"
done

jvm_args() {
    local dir=$WORK/$2
    case $1 in
        jar) echo "$JAVA_OPTS -jar $dir/club-anonymiser.jar" ;;
        extracted) echo "$JAVA_OPTS -jar $dir/extracted/club-anonymiser.jar" ;;
        cds) echo "$JAVA_OPTS -XX:SharedArchiveFile=$dir/application.jsa -jar $dir/extracted/club-anonymiser.jar" ;;
        cds-c1) echo "$JAVA_OPTS -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile=$dir/application.jsa \
-jar $dir/extracted/club-anonymiser.jar" ;;
        *) echo "unknown variant $1" >&2; exit 2 ;;
    esac
}

# Milliseconds since the epoch of the first "Executing step" line's ISO timestamp (UTC, as the JVM logs it).
step_millis() {
    local stamp
    stamp=$(grep -m1 'Executing step' "$1" | cut -d' ' -f1)
    [ -n "$stamp" ] || { echo "no 'Executing step' line in $1" >&2; exit 1; }
    date -u -d "$stamp" +%s%3N
}

# One launch: appends "<ms to the first step> <CPU seconds>" to $WORK/<jar>-<variant>.times.
launch() {
    local variant=$1 jar=$2 i=$3 log=$WORK/$2-$1-$3.log start
    start=$(date +%s%3N)
    # shellcheck disable=SC2086,SC2046
    /usr/bin/time -f '%U %S' -o "$log.cpu" java -Duser.timezone=UTC $(jvm_args "$variant" "$jar") \
        $(export_command "$jar-$variant-$i") > "$log" 2>&1
    echo "$(( $(step_millis "$log") - start )) $(awk '{ print $1 + $2 }' "$log.cpu")" >> "$WORK/$jar-$variant.times"
}

command -v /usr/bin/time > /dev/null || { echo "GNU time (/usr/bin/time) is needed: apt-get install time" >&2; exit 1; }
printf '| jar | variant | runs | median (s) | min (s) | max (s) | CPU median (s) | load before | load after |\n'
printf '| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n'
for variant in $VARIANTS; do
    before=$(load)
    for jar in $JARS; do : > "$WORK/$jar-$variant.times"; done
    for i in $(seq 1 "$RUNS"); do
        for jar in $JARS; do launch "$variant" "$jar" "$i"; done
    done
    after=$(load)
    for jar in $JARS; do
        cpu=$(sort -n -k2 "$WORK/$jar-$variant.times" | awk '{ c[NR] = $2 }
            END { printf "%.1f", (NR % 2) ? c[(NR + 1) / 2] : (c[NR / 2] + c[NR / 2 + 1]) / 2 }')
        sort -n "$WORK/$jar-$variant.times" | awk -v j="$jar" -v v="$variant" -v cpu="$cpu" -v before="$before" \
                -v after="$after" '
            { t[NR] = $1 }
            END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2;
                  printf "| %s | %s | %d | %.2f | %.2f | %.2f | %s | %s | %s |\n", j, v, NR, m / 1000, t[1] / 1000,
                      t[NR] / 1000, cpu, before, after }'
    done
done
