// SPDX-License-Identifier: GPL-2.0
// cpu_samples: a perf_event program, as runqlen and profile are, counting the samples it runs for on each CPU;
// its section names no event, so the tool chooses one (cpu-clock at a frequency) when it attaches.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} samples SEC(".maps");

SEC("perf_event")
int count_sample(void *ctx)
{
	__u32 key = 0;
	__u64 *count = bpf_map_lookup_elem(&samples, &key);
	if (count)
		*count += 1;
	return 0;
}
