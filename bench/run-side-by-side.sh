#!/usr/bin/env bash
# Weft on Flink beside the hand-written native Flink job (issue 9's anchor), on one generated file,
# one after the other, in one run; prints both figures and Weft's ratio to the anchor.
#
#   bench/run-side-by-side.sh                      # 1,000,000 spans, seed 42, parallelism 2
#   SPANS=3000000 SEED=7 PARALLELISM=2 bench/run-side-by-side.sh
#
# Environment: SPANS, SEED, PARALLELISM, XMX (heap of each JVM, default 4g), WORK (scratch folder,
# default /tmp/weft-side-by-side; the file and the native build go there, never into the repo),
# NATIVE_SRC (default ../shared/bench/flink-native beside the repository), WEFT_EXTRA (more pipeline
# options for Weft, e.g. "--dedupHorizonSeconds=600").
#
# What it does: copies the native job out of shared/ (read-only) into $WORK and builds it with
# Maven (online the first time if its Flink jars are not in ~/.m2); builds weft.jar with the Flink
# runner (-Pflink) unless it already holds it; writes the file with `weft.jar generate` (the same
# Zipkin v2 NDJSON the native job reads); runs the native job, then `weft.jar benchmark --input` on
# the FlinkRunner (embedded, [local]); each under /usr/bin/time for CPU and max RSS.
set -euo pipefail

SPANS=${SPANS:-1000000}
SEED=${SEED:-42}
PARALLELISM=${PARALLELISM:-2}
XMX=${XMX:-4g}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NATIVE_SRC=${NATIVE_SRC:-$ROOT/../shared/bench/flink-native}
WORK=${WORK:-/tmp/weft-side-by-side}
WEFT_EXTRA=${WEFT_EXTRA:-}
JAR=$ROOT/pipelines/target/weft.jar
TIME_FORMAT='process: %e s wall, %U s user, %S s sys, %M KB max RSS'

mkdir -p "$WORK"
echo "== native anchor: build ($NATIVE_SRC -> $WORK/flink-native)"
rm -rf "$WORK/flink-native"
cp -r "$NATIVE_SRC" "$WORK/flink-native"
chmod -R u+w "$WORK/flink-native"
(cd "$WORK/flink-native" && { mvn -o -q -B package >/dev/null 2>&1 || mvn -q -B package; })
NATIVE_CP="$WORK/flink-native/target/flink-native-bench.jar:$WORK/flink-native/target/lib/*"

# (unzip's listing to a file first: `unzip | grep -q` fails under pipefail when grep stops early)
if [ ! -f "$JAR" ] || ! { unzip -l "$JAR" > "$WORK/weft-jar.list" \
    && grep -q 'org/apache/beam/runners/flink/FlinkRunner.class' "$WORK/weft-jar.list"; }; then
  echo "== weft: build weft.jar with the Flink runner (-Pflink)"
  (cd "$ROOT" && mvn -o -q -B -DskipTests -Pflink -pl pipelines -am package)
fi

FILE="$WORK/spans-$SPANS-seed$SEED.ndjson"
echo "== generate $FILE"
java -jar "$JAR" generate --spans="$SPANS" --seed="$SEED" --out="$FILE" | head -2

echo "== native Flink job (parallelism $PARALLELISM)"
/usr/bin/time -f "$TIME_FORMAT" -o "$WORK/native.time" \
  java -Xmx"$XMX" -cp "$NATIVE_CP" weft.bench.flinknative.NativeFlinkServiceGraphJob "$FILE" \
  "$PARALLELISM" | tee "$WORK/native.txt"
cat "$WORK/native.time"

echo "== weft benchmark on FlinkRunner (parallelism $PARALLELISM)"
# shellcheck disable=SC2086
/usr/bin/time -f "$TIME_FORMAT" -o "$WORK/weft.time" \
  java -Xmx"$XMX" -jar "$JAR" benchmark --input="$FILE" --workDir="$WORK/weft" \
  --runner=FlinkRunner --flinkMaster='[local]' --parallelism="$PARALLELISM" $WEFT_EXTRA \
  | tee "$WORK/weft.txt"
cat "$WORK/weft.time"

# The anchor prints "events/s : WALL (net runtime: NET)": take the wall-time figure, which is what
# Weft's benchmark reports (its wall time includes the embedded cluster's start and stop too).
native_eps=$(grep '^events/s ' "$WORK/native.txt" | head -1 | sed 's/^events\/s *: *\([0-9,]*\).*/\1/' | tr -d ,)
weft_eps=$(grep '^  events/s  ' "$WORK/weft.txt" | head -1 | awk '{print $2}' | tr -d ,)
echo "== side by side: $SPANS spans, seed $SEED, parallelism $PARALLELISM, $(nproc) cores"
printf '%-28s %12s   %s\n' "native Flink job" "$native_eps ev/s" "$(cat "$WORK/native.time")"
printf '%-28s %12s   %s\n' "weft on FlinkRunner" "$weft_eps ev/s" "$(cat "$WORK/weft.time")"
awk -v w="$weft_eps" -v n="$native_eps" 'BEGIN { if (n > 0) printf "weft / native events/s = %.3f\n", w / n }'
