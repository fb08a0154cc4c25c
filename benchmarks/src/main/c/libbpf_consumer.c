// SPDX-License-Identifier: Apache-2.0
// Reference consumer on libbpf's perf_buffer: opens producer.bpf.o, points it at a load generator it
// starts, reads the samples and prints one "result" line of key=value pairs.
//
// usage: libbpf_consumer OBJECT LOADGEN SIZE THREADS RATE DURATION_S PAGES WAKEUP_EVENTS [pin]
//   WAKEUP_EVENTS 1: perf_buffer__new (libbpf's attributes: wakeup_events = 1)
//   WAKEUP_EVENTS N > 1: perf_buffer__new_raw with wakeup_events = N, the same attributes otherwise
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "latency.h"

struct sample {
	uint64_t seq;
	uint64_t ktime_ns;
};

struct counts {
	uint64_t delivered;
	uint64_t lost;
	struct latency latency;
};

struct loadgen {
	pid_t pid;
	FILE *in;
	FILE *out;
	char result[256];
	atomic_int done;
};

static int64_t clock_ns(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char *what, int err)
{
	fprintf(stderr, "libbpf_consumer: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

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

static struct loadgen start_loadgen(const char *path, char **args)
{
	int to_child[2], from_child[2];
	struct loadgen g = { 0 };
	char line[64];

	if (pipe(to_child) || pipe(from_child))
		die("pipe", errno);
	g.pid = fork();
	if (g.pid < 0)
		die("fork", errno);
	if (g.pid == 0) {
		dup2(to_child[0], 0);
		dup2(from_child[1], 1);
		close(to_child[1]);
		close(from_child[0]);
		execv(path, args);
		_exit(127);
	}
	close(to_child[0]);
	close(from_child[1]);
	g.in = fdopen(to_child[1], "w");
	g.out = fdopen(from_child[0], "r");
	setvbuf(g.in, NULL, _IONBF, 0);
	if (!fgets(line, sizeof(line), g.out) || strncmp(line, "ready", 5) != 0) {
		fprintf(stderr, "libbpf_consumer: load generator %s did not start\n", path);
		exit(1);
	}
	return g;
}

static void *await_loadgen(void *arg)
{
	struct loadgen *g = arg;
	if (!fgets(g->result, sizeof(g->result), g->out))
		g->result[0] = 0;
	g->result[strcspn(g->result, "\n")] = 0;
	atomic_store(&g->done, 1);
	return NULL;
}

// .rodata is one array map whose value is the section; BTF's DATASEC says where each variable is
static void set_rodata(struct bpf_object *obj, __u32 tgid, __u32 size)
{
	struct bpf_map *map, *rodata = NULL;
	const struct btf_var_secinfo *var;
	const struct btf_type *sec;
	struct btf *btf = bpf_object__btf(obj);
	size_t len;
	char *value;
	int id;

	bpf_object__for_each_map(map, obj)
		if (bpf_map__is_internal(map) && strstr(bpf_map__name(map), ".rodata"))
			rodata = map;
	id = btf ? btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC) : -1;
	if (!rodata || id < 0) {
		fprintf(stderr, "libbpf_consumer: producer object has no .rodata with BTF\n");
		exit(1);
	}
	value = malloc(bpf_map__value_size(rodata));
	memcpy(value, bpf_map__initial_value(rodata, &len), bpf_map__value_size(rodata));
	sec = btf__type_by_id(btf, id);
	var = btf_var_secinfos(sec);
	for (int i = 0; i < btf_vlen(sec); i++, var++) {
		const char *name = btf__name_by_offset(btf, btf__type_by_id(btf, var->type)->name_off);
		if (strcmp(name, "target_tgid") == 0)
			memcpy(value + var->offset, &tgid, sizeof(tgid));
		else if (strcmp(name, "sample_size") == 0)
			memcpy(value + var->offset, &size, sizeof(size));
	}
	if (bpf_map__set_initial_value(rodata, value, len))
		die("bpf_map__set_initial_value", errno);
	free(value);
}

static uint64_t produced(struct bpf_object *obj)
{
	int cpus = libbpf_num_possible_cpus();
	uint64_t values[cpus], sum = 0;
	__u32 key = 0;

	if (bpf_map_lookup_elem(bpf_object__find_map_fd_by_name(obj, "produced"), &key, values))
		die("lookup of produced", errno);
	for (int i = 0; i < cpus; i++)
		sum += values[i];
	return sum;
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
		made = produced(obj);
		if (counts.delivered + counts.lost >= made)
			break;
		fputc('f', g.in);
		if (!fgets(line, sizeof(line), g.out))
			break;
		perf_buffer__consume(pb);
	}
	made = produced(obj);
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
