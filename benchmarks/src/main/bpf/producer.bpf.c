// SPDX-License-Identifier: Apache-2.0
// Benchmark producer: one sample per getpgid() call of the load generator, written with
// bpf_perf_event_output() to a PERF_EVENT_ARRAY. Both consumers (libbpf's perf_buffer and ours) read it.
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define MAX_SAMPLE 1024

// set by the consumer before load: the load generator's process id and the bytes per sample
const volatile __u32 target_tgid = 0;
const volatile __u32 sample_size = 64;

struct sample {
	__u64 seq;
	__u64 ktime_ns;
	__u8 padding[MAX_SAMPLE - 16];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

// samples this CPU produced, whether or not they fitted in its ring
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} produced SEC(".maps");

// the sample is built here: 1 KiB does not fit the 512-byte BPF stack
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sample);
} scratch SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getpgid")
int produce(void *ctx)
{
	__u32 zero = 0;
	__u64 *count;
	struct sample *s;
	__u64 size;

	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	count = bpf_map_lookup_elem(&produced, &zero);
	s = bpf_map_lookup_elem(&scratch, &zero);
	if (!count || !s)
		return 0;
	*count += 1;
	s->seq = *count;
	s->ktime_ns = bpf_ktime_get_ns();
	size = sample_size;
	if (size < 16)
		size = 16;
	if (size > MAX_SAMPLE)
		size = MAX_SAMPLE;
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, s, size);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
