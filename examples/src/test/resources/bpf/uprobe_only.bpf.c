// SPDX-License-Identifier: GPL-2.0
// uprobe_only: a perf event array and a single uprobe whose section names no binary: nothing of it attaches by
// its section, so nothing could reach the map.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

SEC("uprobe")
int on_uprobe(void *ctx)
{
	__u32 zero = 0;
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &zero, sizeof(zero));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
