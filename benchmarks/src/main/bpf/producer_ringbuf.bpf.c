// SPDX-License-Identifier: Apache-2.0
// Ring buffer twin of producer.bpf.c: one sample per getpgid() call of the load generator, written with
// bpf_ringbuf_output() to a RINGBUF map. Both ring buffer consumers (libbpf's ring_buffer and ours) read it.
// The program counts its attempts and its failed outputs itself, so a run can check produced == delivered +
// failed without trusting the loss count our loader adds to programs.
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

// the consumers set the size before load (max_entries: bytes, a power of two pages)
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

// samples this CPU produced, whether or not they fitted in the ring
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} produced SEC(".maps");

// samples this CPU could not write: bpf_ringbuf_output failed because the ring had no room
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} failed SEC(".maps");

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
	__u64 *count, *failures;
	struct sample *s;
	__u64 size;

	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	count = bpf_map_lookup_elem(&produced, &zero);
	failures = bpf_map_lookup_elem(&failed, &zero);
	s = bpf_map_lookup_elem(&scratch, &zero);
	if (!count || !failures || !s)
		return 0;
	*count += 1;
	s->seq = *count;
	s->ktime_ns = bpf_ktime_get_ns();
	size = sample_size;
	if (size < 16)
		size = 16;
	if (size > MAX_SAMPLE)
		size = MAX_SAMPLE;
	// flags 0: the kernel wakes the reader only when it has caught up, as libbpf-tools' programs leave it
	if (bpf_ringbuf_output(&events, s, size, 0))
		*failures += 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
