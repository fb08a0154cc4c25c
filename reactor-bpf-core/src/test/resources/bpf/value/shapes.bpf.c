// Test object for the BTF value decoder: puts struct event (shapes.h) into BTF through a global and a
// perf event output of it.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "shapes.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
} events SEC(".maps");

struct event last_event;

SEC("tracepoint/syscalls/sys_enter_getpid")
int emit_event(void *ctx)
{
	last_event.pid = bpf_get_current_pid_tgid() >> 32;
	last_event.kind = KIND_EXEC;
	bpf_get_current_comm(last_event.comm, sizeof(last_event.comm));
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &last_event, sizeof(last_event));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
