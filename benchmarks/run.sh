#!/usr/bin/env bash
# Side-by-side perf buffer and ring buffer benchmarks against libbpf, ring to Kafka broker, then JMH benchmarks of
# the ring reader.
# usage: bash benchmarks/run.sh [--quick]     (root: bpf(2) and perf events; --quick for a short pass)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
quick=0
[[ "${1:-}" == "--quick" ]] && quick=1

needed=()
for pkg in libbpf-dev libelf-dev zlib1g-dev clang llvm gcc; do
  dpkg -s "$pkg" >/dev/null 2>&1 || needed+=("$pkg")
done
if (( ${#needed[@]} )); then
  if [[ $EUID -eq 0 ]]; then
    apt-get update -q && apt-get install -y -q "${needed[@]}"
  else
    echo "missing packages: ${needed[*]} (apt-get install them, or run as root)" >&2
    exit 1
  fi
fi

bin="$root/benchmarks/target/bin"
mkdir -p "$bin"
mvn -q -B -pl benchmarks -am package -DskipTests ${MAVEN_ARGS:-}
bash .ci/bpf-objects --check || { echo "a BPF object is stale: run bash .ci/bpf-objects" >&2; exit 1; }
gcc -O2 -Wall -o "$bin/loadgen" benchmarks/src/main/c/loadgen.c -lpthread
gcc -O2 -Wall -o "$bin/libbpf_consumer" benchmarks/src/main/c/libbpf_consumer.c benchmarks/src/main/c/harness.c \
  -lbpf -lelf -lz -lpthread
gcc -O2 -Wall -o "$bin/libbpf_ringbuf_consumer" benchmarks/src/main/c/libbpf_ringbuf_consumer.c \
  benchmarks/src/main/c/harness.c -lbpf -lelf -lz -lpthread

jar="$root/benchmarks/target/benchmarks.jar"
args=(--bin "$bin" --object "$root/benchmarks/src/main/bpf/producer.bpf.o")
(( quick )) && args+=(--quick)
# the heap is touched once at start (AlwaysPreTouch): the kernel's first-touch page faults on fresh heap pages are
# the JVM's start-up cost, not the reader's, and would otherwise land on the poller of every run that allocates
java -Xms512m -Xmx512m -XX:+AlwaysPreTouch -cp "$jar" io.reactorbpf.benchmarks.Bench "${args[@]}" | tee "$bin/bench.out"

echo
rbargs=(--bin "$bin" --object "$root/benchmarks/src/main/bpf/producer_ringbuf.bpf.o")
(( quick )) && rbargs+=(--quick)
java -Xmx512m -cp "$jar" io.reactorbpf.benchmarks.RingBufBench "${rbargs[@]}" | tee "$bin/ringbuf.out"

echo
kargs=(--bin "$bin" --object "$root/benchmarks/src/main/bpf/producer.bpf.o")
(( quick )) && kargs+=(--quick)
# the in-process broker logs through slf4j, which has no binding here: its lines are dropped
java -Xmx1g -cp "$jar" io.reactorbpf.benchmarks.KafkaBench "${kargs[@]}" 2>/dev/null | tee "$bin/kafka.out"

echo
echo "== JMH: ring parsing and decoding in place (no kernel) =="
if (( quick )); then
  jmh=(-f 1 -wi 1 -w 500ms -i 2 -r 500ms)
else
  jmh=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
fi
java -jar "$jar" RingDrainBenchmark "${jmh[@]}" 2>&1 | sed -n '/^Benchmark/,$p'
java -jar "$jar" DecodeBenchmark "${jmh[@]}" -prof gc 2>&1 \
  | sed -n '/^Benchmark/,$p' | grep -E '^Benchmark|Decode[^:]*\.(inPlace|copied) |alloc.rate.norm'
echo "(gc.alloc.rate.norm is bytes per operation; one operation is one record)"

echo
echo "== JMH: a sample as a JSON line, decoded by its BTF type against the raw bytes as hex (ns per event) =="
java -jar "$jar" BtfJsonBenchmark "${jmh[@]}" -prof gc 2>&1 \
  | sed -n '/^Benchmark/,$p' | grep -E '^Benchmark|avgt .*ns/op|alloc.rate.norm'

# the targets' tallies again, so the run's last lines are the verdicts
echo
grep '^targets met: ' "$bin/bench.out" | tail -n 1
grep '^ring buffer targets met: ' "$bin/ringbuf.out" | tail -n 1
