// SPDX-License-Identifier: Apache-2.0
// What the libbpf reference consumers share; see harness.h.
#define _GNU_SOURCE
#include "harness.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int64_t clock_ns(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void die(const char *what, int err)
{
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what, strerror(err < 0 ? -err : err));
	exit(1);
}

struct loadgen start_loadgen(const char *path, char **args)
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
		fprintf(stderr, "%s: load generator %s did not start\n", program_invocation_short_name, path);
		exit(1);
	}
	return g;
}

void *await_loadgen(void *arg)
{
	struct loadgen *g = arg;
	if (!fgets(g->result, sizeof(g->result), g->out))
		g->result[0] = 0;
	g->result[strcspn(g->result, "\n")] = 0;
	atomic_store(&g->done, 1);
	return NULL;
}

// .rodata is one array map whose value is the section; BTF's DATASEC says where each variable is
void set_rodata(struct bpf_object *obj, __u32 tgid, __u32 size)
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
		fprintf(stderr, "%s: producer object has no .rodata with BTF\n", program_invocation_short_name);
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

uint64_t percpu_sum(struct bpf_object *obj, const char *name)
{
	int cpus = libbpf_num_possible_cpus();
	uint64_t values[cpus], sum = 0;
	__u32 key = 0;

	if (bpf_map_lookup_elem(bpf_object__find_map_fd_by_name(obj, name), &key, values))
		die(name, errno);
	for (int i = 0; i < cpus; i++)
		sum += values[i];
	return sum;
}

void prog_run_time(int prog_fd, uint64_t *runs, uint64_t *nanos)
{
	char path[64], line[128];
	unsigned long long value;
	FILE *f;

	*runs = 0;
	*nanos = 0;
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", prog_fd);
	if (!(f = fopen(path, "r")))
		die(path, errno);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "run_cnt: %llu", &value) == 1)
			*runs = value;
		else if (sscanf(line, "run_time_ns: %llu", &value) == 1)
			*nanos = value;
	}
	fclose(f);
}
