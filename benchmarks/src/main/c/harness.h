// SPDX-License-Identifier: Apache-2.0
// What the libbpf reference consumers share: the load generator's protocol (loadgen.c), the producer's
// .rodata settings and per-CPU counts, clocks and fatal errors.
#ifndef HARNESS_H
#define HARNESS_H
#include <bpf/libbpf.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

// the head of every sample both producers write
struct sample {
	uint64_t seq;
	uint64_t ktime_ns;
};

// a load generator started parked; result is its "calls=N elapsed_ns=T" line once done is set
struct loadgen {
	pid_t pid;
	FILE *in;
	FILE *out;
	char result[256];
	atomic_int done;
};

int64_t clock_ns(clockid_t clock);

// prints "PROGRAM: WHAT: strerror(ERR)" and exits 1; ERR may be negative, as libbpf returns it
void die(const char *what, int err);

// starts PATH with ARGS (a NULL-terminated argv) and waits for its "ready"
struct loadgen start_loadgen(const char *path, char **args);

// pthread body: reads the generator's result line into g->result, then sets g->done
void *await_loadgen(void *g);

// sets target_tgid and sample_size in the opened object's .rodata, found through its BTF DATASEC
void set_rodata(struct bpf_object *obj, __u32 tgid, __u32 size);

// the sum over all possible CPUs of element 0 of the per-CPU u64 array NAME
uint64_t percpu_sum(struct bpf_object *obj, const char *name);

// the program's run_cnt and run_time_ns from /proc/self/fdinfo (zero while BPF run-time statistics are off)
void prog_run_time(int prog_fd, uint64_t *runs, uint64_t *nanos);
#endif
