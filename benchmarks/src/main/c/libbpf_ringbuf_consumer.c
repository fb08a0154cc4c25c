// SPDX-License-Identifier: Apache-2.0
// Reference consumer on libbpf's ring_buffer: opens producer_ringbuf.bpf.o, sizes its ring, points it at a
// load generator it starts, reads the samples and prints one "result" line of key=value pairs. libbpf counts no
// losses for a ring buffer; the program's own failed count says what did not fit.
//
// usage: libbpf_ringbuf_consumer OBJECT LOADGEN SIZE THREADS RATE DURATION_S RING_BYTES
#define _GNU_SOURCE
#include <bpf/libbpf.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "harness.h"
#include "latency.h"

struct counts {
	uint64_t delivered;
	struct latency latency;
};

static int on_sample(void *ctx, void *data, size_t size)
{
	struct counts *c = ctx;
	const struct sample *s = data;
	if (size >= sizeof(*s))
		latency_record(&c->latency, clock_ns(CLOCK_MONOTONIC) - (int64_t)s->ktime_ns);
	c->delivered++;
	return 0;
}

int main(int argc, char **argv)
{
	struct ring_buffer *rb;
	struct bpf_object *obj;
	struct loadgen g;
	pthread_t waiter;
	static struct counts counts;
	int64_t cpu0, cpu1;
	uint64_t made = 0, failed = 0, runs0, runs1, ns0, ns1;
	struct bpf_program *prog;
	char *lg_args[5];
	int size, ring_bytes, err;

	if (argc < 8) {
		fprintf(stderr, "usage: %s OBJECT LOADGEN SIZE THREADS RATE DURATION_S RING_BYTES\n", argv[0]);
		return 2;
	}
	size = atoi(argv[3]);
	ring_bytes = atoi(argv[7]);
	lg_args[0] = argv[2];
	lg_args[1] = argv[4];
	lg_args[2] = argv[5];
	lg_args[3] = argv[6];
	lg_args[4] = NULL;
	g = start_loadgen(argv[2], lg_args);

	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj)
		die("bpf_object__open_file", errno);
	set_rodata(obj, (__u32)g.pid, (__u32)size);
	if ((err = bpf_map__set_max_entries(bpf_object__find_map_by_name(obj, "events"), ring_bytes)))
		die("bpf_map__set_max_entries", err);
	if ((err = bpf_object__load(obj)))
		die("bpf_object__load", err);
	prog = bpf_object__find_program_by_name(obj, "produce");
	if (!bpf_program__attach(prog))
		die("bpf_program__attach", errno);
	rb = ring_buffer__new(bpf_object__find_map_fd_by_name(obj, "events"), on_sample, &counts, NULL);
	if (!rb)
		die("ring_buffer__new", errno);

	pthread_create(&waiter, NULL, await_loadgen, &g);
	prog_run_time(bpf_program__fd(prog), &runs0, &ns0);
	cpu0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	fputc('g', g.in);
	while (!atomic_load(&g.done)) {
		err = ring_buffer__poll(rb, 50);
		if (err < 0 && err != -EINTR)
			die("ring_buffer__poll", err);
	}
	pthread_join(waiter, NULL);
	// every program run has ended with the generator's threads: one consume takes what they committed
	for (int round = 0; round < 5; round++) {
		if ((err = ring_buffer__consume(rb)) < 0)
			die("ring_buffer__consume", err);
		made = percpu_sum(obj, "produced");
		failed = percpu_sum(obj, "failed");
		if (counts.delivered + failed >= made)
			break;
	}
	cpu1 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	prog_run_time(bpf_program__fd(prog), &runs1, &ns1);
	fputc('q', g.in);
	waitpid(g.pid, NULL, 0);

	printf("result consumer=libbpf-ring_buffer ring_bytes=%d size=%d produced=%llu delivered=%llu failed=%llu"
	       " cpu_ns=%lld p50_ns=%lld p99_ns=%lld prog_runs=%llu prog_ns=%llu %s\n",
	       ring_bytes, size, (unsigned long long)made, (unsigned long long)counts.delivered,
	       (unsigned long long)failed, (long long)(cpu1 - cpu0),
	       (long long)latency_quantile(&counts.latency, 0.50), (long long)latency_quantile(&counts.latency, 0.99),
	       (unsigned long long)(runs1 - runs0), (unsigned long long)(ns1 - ns0), g.result);
	ring_buffer__free(rb);
	bpf_object__close(obj);
	return 0;
}
