#!/usr/bin/env bash
# Scale of the line formats and of Kubernetes objects under a small heap (issue 11): generates
# syslog (RFC 5424, one message per line) and JSON-lines files of the given sizes and Kubernetes
# Lists of the given object counts, runs weft on each under -Xmx512m, and prints one line per run:
# wall seconds, MB/s, records/s, max RSS, and the counts the run produced (so a fast wrong answer
# shows). Time linear in size means the per-record cost stays flat down the column.
#
# usage: bench/scale-formats.sh [--jar=pipelines/target/weft.jar] [--sizes="25 50 100"]
#          [--objects="2500 5000 10000"] [--heap=512m] [--work=/tmp/weft-scale] [-- RUNNER ARGS...]
# Default runner: embedded Flink, parallelism 2 (needs the jar built with -Pflink); any other
# runner's arguments after "--", e.g. -- --runner=DirectRunner.
set -euo pipefail
JAR=pipelines/target/weft.jar
SIZES="25 50 100"
OBJECTS="2500 5000 10000"
HEAP=512m
WORK=/tmp/weft-scale
RUNNER=(--runner=FlinkRunner "--flinkMaster=[local]" --parallelism=2)
while [ $# -gt 0 ]; do
  case "$1" in
    --jar=*) JAR="${1#*=}" ;;
    --sizes=*) SIZES="${1#*=}" ;;
    --objects=*) OBJECTS="${1#*=}" ;;
    --heap=*) HEAP="${1#*=}" ;;
    --work=*) WORK="${1#*=}" ;;
    --) shift; RUNNER=("$@"); break ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$WORK"

# One day of messages from 40 services on 12 hosts; every 17th an error.
syslog() { # MiB FILE
  awk -v bytes=$(( $1 * 1048576 )) 'BEGIN { n = 0; size = 0
    while (size < bytes) {
      s = n % 86400
      line = sprintf("<%d>1 2024-05-01T%02d:%02d:%02d.%03dZ node-%d svc-%d %d - - handled request %d in %d ms for tenant-%d with a realistic amount of text after it",
        (n % 17 == 0 ? 27 : 30), int(s / 3600), int(s % 3600 / 60), s % 60, n % 1000, n % 12,
        n % 40, 1000 + n % 5000, n, n % 900, n % 70)
      print line; size += length(line) + 1; n++ } }' > "$2"
}
jsonlines() { # MiB FILE
  awk -v bytes=$(( $1 * 1048576 )) 'BEGIN { n = 0; size = 0
    while (size < bytes) {
      s = n % 86400
      line = sprintf("{\"timestamp\": \"2024-05-01T%02d:%02d:%02d.%03dZ\", \"level\": \"%s\", \"service\": \"svc-%d\", \"host\": \"node-%d\", \"message\": \"handled request %d in %d ms for tenant-%d\"}",
        int(s / 3600), int(s % 3600 / 60), s % 60, n % 1000, (n % 17 == 0 ? "error" : "info"),
        n % 40, n % 12, n, n % 900, n % 70)
      print line; size += length(line) + 1; n++ } }' > "$2"
}
# A kubectl-style List: per group of 4, a pod, a config map, a service selecting the pod and a
# deployment owning it; 20 namespaces.
k8slist() { # OBJECTS FILE
  awk -v objects=$1 'BEGIN {
    printf "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": ["
    for (i = 0; i < objects; i++) {
      g = int(i / 4); ns = "ns-" (g % 20); app = "app-" g; t = sprintf("2024-05-01T%02d:%02d:00Z", int(g % 1440 / 60), g % 60)
      if (i > 0) printf ","
      k = i % 4
      if (k == 0) printf "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"%s-0\", \"namespace\": \"%s\", \"uid\": \"pod-%d\", \"resourceVersion\": \"%d\", \"creationTimestamp\": \"%s\", \"labels\": {\"app\": \"%s\"}, \"ownerReferences\": [{\"kind\": \"Deployment\", \"name\": \"%s\", \"uid\": \"dep-%d\"}]}, \"spec\": {\"nodeName\": \"node-%d\", \"containers\": [{\"name\": \"main\", \"image\": \"registry/%s:1.0\"}], \"volumes\": [{\"name\": \"cfg\", \"configMap\": {\"name\": \"%s-config\"}}]}, \"status\": {\"phase\": \"Running\", \"podIP\": \"10.%d.%d.%d\"}}", app, ns, g, i + 1, t, app, app, g, g % 12, app, app, int(g / 65536) % 256, int(g / 256) % 256, g % 256
      else if (k == 1) printf "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"%s-config\", \"namespace\": \"%s\", \"uid\": \"cm-%d\", \"resourceVersion\": \"%d\", \"creationTimestamp\": \"%s\"}, \"data\": {\"key\": \"value\"}}", app, ns, g, i + 1, t
      else if (k == 2) printf "{\"apiVersion\": \"v1\", \"kind\": \"Service\", \"metadata\": {\"name\": \"%s\", \"namespace\": \"%s\", \"uid\": \"svc-%d\", \"resourceVersion\": \"%d\", \"creationTimestamp\": \"%s\"}, \"spec\": {\"selector\": {\"app\": \"%s\"}, \"ports\": [{\"port\": 80}]}}", app, ns, g, i + 1, t, app
      else printf "{\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\", \"metadata\": {\"name\": \"%s\", \"namespace\": \"%s\", \"uid\": \"dep-%d\", \"resourceVersion\": \"%d\", \"creationTimestamp\": \"%s\"}, \"spec\": {\"replicas\": 1}}", app, ns, g, i + 1, t
    }
    print "]}" }' > "$2"
}

run() { # FORMAT FILE LABEL RECORDS
  local out="$WORK/out-$3"
  rm -rf "$out"
  local t0 t1 rss
  t0=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$WORK/$3.rss" java -Xmx$HEAP -jar "$JAR" --sources="$1:$2" \
    --output="$out" --quiet "${RUNNER[@]}" > "$WORK/run-$3.log" 2>&1 || true
  t1=$(date +%s.%N)
  rss=$(tail -1 "$WORK/$3.rss")
  local mb wall
  mb=$(awk -v b="$(stat -c %s "$2")" 'BEGIN { printf "%.1f", b / 1048576 }')
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  local counts
  counts=$(grep -h "^weft: read\|^weft: unique" "$WORK/run-$3.log" | tr '\n' ' ')
  local conserved
  conserved=$(grep -o '"conserved" : [a-z]*' "$out/summary.json" 2>/dev/null || echo "no summary")
  printf "%-10s %8s MiB %9s records %8s s %7s MB/s %9s rec/s  max RSS %5s MB  %s | %s\n" "$3" "$mb" "$4" "$wall" \
    "$(awk -v m="$mb" -v w="$wall" 'BEGIN { printf "%.2f", m / w }')" \
    "$(awk -v r="$4" -v w="$wall" 'BEGIN { printf "%.0f", r / w }')" "$((rss / 1024))" "$counts" "$conserved"
}

echo "runner: ${RUNNER[*]}; heap -Xmx$HEAP; work $WORK"
for mib in $SIZES; do
  syslog "$mib" "$WORK/syslog-$mib.syslog"
  run syslog "$WORK/syslog-$mib.syslog" "syslog-$mib" "$(wc -l < "$WORK/syslog-$mib.syslog")"
  jsonlines "$mib" "$WORK/json-$mib.ndjson"
  run json-logs "$WORK/json-$mib.ndjson" "json-$mib" "$(wc -l < "$WORK/json-$mib.ndjson")"
done
for n in $OBJECTS; do
  k8slist "$n" "$WORK/k8s-$n.json"
  run k8s "$WORK/k8s-$n.json" "k8s-$n" "$n"
done
