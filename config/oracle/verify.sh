#!/usr/bin/env bash
# The product's walkthrough on a real Oracle, in one command: creates the schema (Flyway: sql/oracle, the PL/SQL
# trigger of sql/oracle-plsql, Spring Batch's and Spring Cloud Task's Oracle tables), seeds demo data, exports a
# club, "reviews" the workbook, imports it, writes the import's privacy report, then checks that report.
#
#   ANONYMISER_DB_PASSWORD=... config/oracle/verify.sh --url jdbc:oracle:thin:@//host:1521/SERVICE --user ANON_VERIFY
#
# Options:
#   --url URL          JDBC URL of the Oracle database (must start with jdbc:oracle:)          required
#   --user USER        an EMPTY schema of its own: the walkthrough creates tables and demo data  required
#   --jar PATH         the application jar (default: batch-app/target/club-anonymiser.jar)
#   --storage-dir DIR  where exports, uploads and reports go (default: a new temporary directory)
#   --members N        demo members to seed (default 2000)
#   --dry-run          check the arguments and print the command, run nothing
# The password is read from ANONYMISER_DB_PASSWORD only (never an argument: it would show in the process list).
#
# Exit codes: 0 verified; 2 usage (bad or missing argument, password unset); 3 missing tool or jar;
#             4 the walkthrough failed (see its log); 5 the privacy report is missing or shows a violation.
set -uo pipefail

usage() {
    echo "usage: ANONYMISER_DB_PASSWORD=... $0 --url jdbc:oracle:thin:@//host:port/service --user USER" \
        "[--jar PATH] [--storage-dir DIR] [--members N] [--dry-run]" >&2
    exit 2
}

fail() {
    local code=$1
    shift
    echo "verify.sh: $*" >&2
    exit "$code"
}

root=$(cd "$(dirname "$0")/../.." && pwd)
url= user= jar="$root/batch-app/target/club-anonymiser.jar" storage= members=2000 dry_run=false
while [ $# -gt 0 ]; do
    case "$1" in
        --url) [ $# -ge 2 ] || usage; url=$2; shift 2 ;;
        --user) [ $# -ge 2 ] || usage; user=$2; shift 2 ;;
        --jar) [ $# -ge 2 ] || usage; jar=$2; shift 2 ;;
        --storage-dir) [ $# -ge 2 ] || usage; storage=$2; shift 2 ;;
        --members) [ $# -ge 2 ] || usage; members=$2; shift 2 ;;
        --dry-run) dry_run=true; shift ;;
        -h|--help) usage ;;
        *) echo "verify.sh: unknown argument: $1" >&2; usage ;;
    esac
done

[ -n "$url" ] || { echo "verify.sh: --url is required" >&2; usage; }
[ -n "$user" ] || { echo "verify.sh: --user is required" >&2; usage; }
case "$url" in
    jdbc:oracle:*) ;;
    *) fail 2 "--url must be an Oracle JDBC URL (jdbc:oracle:...), got another scheme" ;;
esac
case "$members" in
    ''|*[!0-9]*) fail 2 "--members must be a positive whole number" ;;
esac
[ "$members" -ge 1 ] || fail 2 "--members must be a positive whole number"
[ -n "${ANONYMISER_DB_PASSWORD:-}" ] || fail 2 "ANONYMISER_DB_PASSWORD is not set (the password is never an argument)"

command -v java >/dev/null 2>&1 || fail 3 "java not found: install a JDK 17 (apt-get install openjdk-17-jre-headless)"
[ -f "$jar" ] || fail 3 "application jar not found: $jar (build it: ./mvnw -B -q package -DskipTests)"

if [ -z "$storage" ]; then
    if $dry_run; then
        storage='<new temporary directory>'
    else
        storage=$(mktemp -d "${TMPDIR:-/tmp}/anonymiser-oracle-verify.XXXXXX") || fail 3 "cannot create a temp directory"
    fi
fi

command=(java -jar "$jar" --spring.batch.job.name=demoWalkthroughJob
    "--spring.datasource.url=$url" "--spring.datasource.username=$user"
    "--anonymiser.storage-dir=$storage" "members=$members" clubs=3 seed=42)
if $dry_run; then
    printf '%q ' "${command[@]}"
    echo
    exit 0
fi

echo "verify.sh: walkthrough on $url as $user (storage: $storage)"
# Spring Boot reads the password from the environment: it never appears on a command line.
if ! SPRING_DATASOURCE_PASSWORD="$ANONYMISER_DB_PASSWORD" "${command[@]}"; then
    fail 4 "the walkthrough failed: see the log above (the schema must be empty; a rerun restarts where it failed)"
fi

report=$(ls -t "$storage"/reports/privacy-import-*.csv 2>/dev/null | head -n 1)
[ -n "$report" ] || fail 5 "no privacy report under $storage/reports"
violations=$(awk -F, '$1 == "check" && $2 == "total_violations" { print $3 }' "$report" | tr -d '\r"')
anonymised=$(awk -F, '$1 == "outcome" && $2 == "anonymised" { print $3 }' "$report" | tr -d '\r"')
[ -n "$violations" ] && [ -n "$anonymised" ] || fail 5 "privacy report unreadable: $report"
[ "$violations" = 0 ] || fail 5 "privacy report: $violations personal value(s) left in anonymised rows ($report)"
[ "$anonymised" -gt 0 ] || fail 5 "privacy report: nobody was anonymised ($report)"
echo "verify.sh: verified on Oracle: $anonymised member(s) anonymised, 0 personal values left ($report)"
