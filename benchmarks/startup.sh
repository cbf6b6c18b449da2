#!/usr/bin/env bash
# Start-up to the first step in task mode, hyperfine-style (see benchmarks/README.md, "Start-up"): for each variant,
# RUNS launches of the same exportJob command, each timed from just before the JVM is started to the timestamp of
# Spring Batch's first "Executing step" line; prints median and min per variant and the load average around them.
#   benchmarks/startup.sh                                # RUNS=10, variants "jar extracted cds"
#   RUNS=5 VARIANTS="extracted cds" benchmarks/startup.sh
# Variants: jar (java -jar on the fat jar), extracted (the jar extracted by Spring Boot's jarmode=tools), cds (the
# extracted jar with the class-data sharing archive a training run wrote), cds-c1 (cds with -XX:TieredStopAtLevel=1,
# for information only: it slows a long job's throughput). Env: RUNS, VARIANTS, BENCH_WORK (default
# /tmp/club-anonymiser-startup), BENCH_BUILD=0 (reuse the built jar), BENCH_JAR (another jar to measure),
# BENCH_JAVA_OPTS (the options of every JVM; default: those the operations guide recommends for task mode),
# STARTUP_ARGS (extra application arguments for every measured launch).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-10}
VARIANTS=${VARIANTS:-"jar extracted cds"}
WORK=${BENCH_WORK:-/tmp/club-anonymiser-startup}
JAVA_OPTS=${BENCH_JAVA_OPTS:-"-Xmx256m -XX:+UseParallelGC -XX:PerMethodRecompilationCutoff=10000 -XX:PerBytecodeRecompilationCutoff=10000"}
AS_OF=2026-11-29

if [ "${BENCH_BUILD:-1}" = 1 ]; then
    (cd "$ROOT" && ./mvnw -o -q -B -pl batch-app -am package -DskipTests)
fi
rm -rf "$WORK"; mkdir -p "$WORK"
cp "${BENCH_JAR:-$ROOT/batch-app/target/club-anonymiser.jar}" "$WORK/club-anonymiser.jar"
# Spring Boot's recipe for class-data sharing: an extracted jar (plain jars in lib/, a manifest class path).
java -Djarmode=tools -jar "$WORK/club-anonymiser.jar" extract --destination "$WORK/extracted" > /dev/null
EXTRACTED=$WORK/extracted/club-anonymiser.jar
DATA=$WORK/data
DB="--spring.datasource.url=jdbc:h2:file:$DATA/anonymiser --anonymiser.storage-dir=$DATA"
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "== seeding a small club (demoDataJob), which also migrates the schema"
# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$EXTRACTED" $DB --spring.batch.job.name=demoDataJob members=200 clubs=1 seed=42 \
    asOf=$AS_OF > "$WORK/seed.log" 2>&1

export_command() {
    echo "--spring.batch.job.name=exportJob clubId=1 inactivityMonths=36 exportName=Startup-$1 \
requestedBy=admin.multi asOf=$AS_OF $DB ${STARTUP_ARGS:-}"
}

echo "== CDS training run: the same launch, run to its end; the JVM writes the archive when it exits"
# shellcheck disable=SC2086,SC2046
java $JAVA_OPTS -XX:ArchiveClassesAtExit="$WORK/application.jsa" -jar "$EXTRACTED" $(export_command training) \
    > "$WORK/training.log" 2>&1
[ -s "$WORK/application.jsa" ] || { echo "no CDS archive written (see $WORK/training.log)" >&2; exit 1; }

jvm_args() {
    case $1 in
        jar) echo "$JAVA_OPTS -jar $WORK/club-anonymiser.jar" ;;
        extracted) echo "$JAVA_OPTS -jar $EXTRACTED" ;;
        cds) echo "$JAVA_OPTS -XX:SharedArchiveFile=$WORK/application.jsa -jar $EXTRACTED" ;;
        cds-c1) echo "$JAVA_OPTS -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile=$WORK/application.jsa -jar $EXTRACTED" ;;
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

printf '| variant | runs | median (s) | min (s) | max (s) | load before | load after |\n'
printf '| --- | --- | --- | --- | --- | --- | --- |\n'
for variant in $VARIANTS; do
    before=$(load)
    : > "$WORK/$variant.times"
    for i in $(seq 1 "$RUNS"); do
        log=$WORK/$variant-$i.log
        start=$(date +%s%3N)
        # shellcheck disable=SC2086,SC2046
        java -Duser.timezone=UTC $(jvm_args "$variant") $(export_command "$variant-$i") > "$log" 2>&1
        echo $(( $(step_millis "$log") - start )) >> "$WORK/$variant.times"
    done
    sort -n "$WORK/$variant.times" | awk -v v="$variant" -v before="$before" -v after="$(load)" '
        { t[NR] = $1 }
        END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2;
              printf "| %s | %d | %.2f | %.2f | %.2f | %s | %s |\n", v, NR, m / 1000, t[1] / 1000, t[NR] / 1000,
                  before, after }'
done
