// SPDX-License-Identifier: GPL-2.0
// getpgid_probe: one event per getpgid() call by process target_pid, carrying the globals the runner set with
// --set, so the runner's typed and untyped output can be checked field by field.
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>

enum probe_kind {
	PROBE_PLAIN = 0,
	PROBE_FLAGGED = 1,
	PROBE_TRACED = 2,
};

struct probe_event {
	__s32 pid;
	__u32 seq;
	char comm[16];
	char tag[8];
	enum probe_kind kind;
};

/*
 * Set before load: the process to watch (0: none), a label copied into every event, whether to flag it, and the
 * kind an unflagged event carries.
 */
const volatile __s32 target_pid = 0;
const volatile char tag[8] = "none";
const volatile bool flagged = false;
const volatile enum probe_kind kind = PROBE_PLAIN;

/* Events sent so far; one watched thread calls getpgid(), so a plain increment is enough. */
__u32 seq = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

/* Where the event is built: a map value, so struct probe_event is in the object's BTF for --type. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct probe_event);
} scratch SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getpgid")
int getpgid_probe(void *ctx)
{
	if ((__s32)(bpf_get_current_pid_tgid() >> 32) != target_pid)
		return 0;
	__u32 zero = 0;
	struct probe_event *e = bpf_map_lookup_elem(&scratch, &zero);
	if (!e)
		return 0;
	e->pid = target_pid;
	e->seq = seq++;
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	for (int i = 0; i < sizeof(e->tag); i++)
		e->tag[i] = tag[i];
	e->kind = flagged ? PROBE_FLAGGED : kind;
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, e, sizeof(*e));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
