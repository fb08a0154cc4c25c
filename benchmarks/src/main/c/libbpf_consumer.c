// SPDX-License-Identifier: Apache-2.0
// Reference consumer on libbpf's perf_buffer: opens producer.bpf.o, points it at a load generator it
// starts, reads the samples and prints one "result" line of key=value pairs.
//
// usage: libbpf_consumer OBJECT LOADGEN SIZE THREADS RATE DURATION_S PAGES WAKEUP_EVENTS [pin]
//   WAKEUP_EVENTS 1: perf_buffer__new (libbpf's attributes: wakeup_events = 1)
//   WAKEUP_EVENTS N > 1: perf_buffer__new_raw with wakeup_events = N, the same attributes otherwise
#define _GNU_SOURCE
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "harness.h"
#include "latency.h"

struct counts {
	uint64_t delivered;
	uint64_t lost;
	struct latency latency;
};

static void on_sample(void *ctx, int cpu, void *data, __u32 size)
{
	struct counts *c = ctx;
	const struct sample *s = data;
	(void)cpu;
	if (size >= sizeof(*s))
		latency_record(&c->latency, clock_ns(CLOCK_MONOTONIC) - (int64_t)s->ktime_ns);
	c->delivered++;
}

static void on_lost(void *ctx, int cpu, __u64 lost)
{
	(void)cpu;
	((struct counts *)ctx)->lost += lost;
}

// perf_buffer__new_raw hands over whole records: a SAMPLE is {header, u32 size, data}, a LOST {header, u64 id, u64 lost}
static enum bpf_perf_event_ret on_record(void *ctx, int cpu, struct perf_event_header *event)
{
	if (event->type == PERF_RECORD_SAMPLE) {
		__u32 *size = (__u32 *)(event + 1);
		on_sample(ctx, cpu, size + 1, *size);
	} else if (event->type == PERF_RECORD_LOST) {
		__u64 *lost = (__u64 *)(event + 1);
		on_lost(ctx, cpu, lost[1]);
	}
	return LIBBPF_PERF_EVENT_CONT;
}

int main(int argc, char **argv)
{
	struct perf_event_attr attr = { 0 };
	struct perf_buffer *pb;
	struct bpf_object *obj;
	struct loadgen g;
	pthread_t waiter;
	static struct counts counts;
	int64_t cpu0, cpu1;
	uint64_t made = 0;
	char *lg_args[7];
	int size, pages, wakeup, err;

	if (argc < 9) {
		fprintf(stderr, "usage: %s OBJECT LOADGEN SIZE THREADS RATE DURATION_S PAGES WAKEUP_EVENTS [pin]\n", argv[0]);
		return 2;
	}
	size = atoi(argv[3]);
	pages = atoi(argv[7]);
	wakeup = atoi(argv[8]);
	lg_args[0] = argv[2];
	lg_args[1] = argv[4];
	lg_args[2] = argv[5];
	lg_args[3] = argv[6];
	lg_args[4] = argc > 9 ? argv[9] : NULL;
	lg_args[5] = NULL;
	g = start_loadgen(argv[2], lg_args);

	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj)
		die("bpf_object__open_file", errno);
	set_rodata(obj, (__u32)g.pid, (__u32)size);
	if ((err = bpf_object__load(obj)))
		die("bpf_object__load", err);
	if (!bpf_program__attach(bpf_object__find_program_by_name(obj, "produce")))
		die("bpf_program__attach", errno);
	if (wakeup <= 1) {
		pb = perf_buffer__new(bpf_object__find_map_fd_by_name(obj, "events"), pages, on_sample, on_lost, &counts,
				      NULL);
	} else {
		// libbpf's own attributes for perf_buffer__new, except the wakeup count
		attr.config = PERF_COUNT_SW_BPF_OUTPUT;
		attr.type = PERF_TYPE_SOFTWARE;
		attr.sample_type = PERF_SAMPLE_RAW;
		attr.sample_period = 1;
		attr.wakeup_events = wakeup;
		pb = perf_buffer__new_raw(bpf_object__find_map_fd_by_name(obj, "events"), pages, &attr, on_record, &counts,
					  NULL);
	}
	if (!pb)
		die("perf_buffer__new", errno);

	pthread_create(&waiter, NULL, await_loadgen, &g);
	cpu0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	fputc('g', g.in);
	while (!atomic_load(&g.done)) {
		err = perf_buffer__poll(pb, 50);
		if (err < 0 && err != -EINTR)
			die("perf_buffer__poll", err);
	}
	pthread_join(waiter, NULL);
	// samples below a wakeup threshold raise no wakeup: take them, then flush pending LOST records
	perf_buffer__consume(pb);
	for (int round = 0; round < 5; round++) {
		char line[64];
		made = percpu_sum(obj, "produced");
		if (counts.delivered + counts.lost >= made)
			break;
		fputc('f', g.in);
		if (!fgets(line, sizeof(line), g.out))
			break;
		perf_buffer__consume(pb);
	}
	made = percpu_sum(obj, "produced");
	cpu1 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	fputc('q', g.in);
	waitpid(g.pid, NULL, 0);

	printf("result consumer=libbpf wakeup_events=%d pages=%d size=%d produced=%llu delivered=%llu lost=%llu"
	       " cpu_ns=%lld p50_ns=%lld p99_ns=%lld %s\n",
	       wakeup, pages, size, (unsigned long long)made, (unsigned long long)counts.delivered,
	       (unsigned long long)counts.lost, (long long)(cpu1 - cpu0),
	       (long long)latency_quantile(&counts.latency, 0.50), (long long)latency_quantile(&counts.latency, 0.99),
	       g.result);
	perf_buffer__free(pb);
	bpf_object__close(obj);
	return 0;
}
