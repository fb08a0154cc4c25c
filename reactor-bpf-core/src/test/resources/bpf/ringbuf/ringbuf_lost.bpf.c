// SPDX-License-Identifier: GPL-2.0
// ringbuf_lost: on each getpgid() by process target_pid, writes `burst` samples to each of two small BPF ring
// buffers, one through bpf_ringbuf_reserve/submit in a subprogram and one through bpf_ringbuf_output, counting in
// its own globals what it attempted and what failed. The loop jumps back across the helper calls and the
// subprogram is reached by a BPF-to-BPF call, so the loader's loss counting must fix up jumps, calls, func_info and
// line_info to pass the verifier; its counts must equal the program's own.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct ring_sample {
	__u64 seq;
	__u64 pid_tgid;
};

const volatile __s32 target_pid = 0;
const volatile __u32 burst = 1;

__u64 reserved_attempts = 0;
__u64 reserve_failures = 0;
__u64 output_attempts = 0;
__u64 output_failures = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} reserved SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} output SEC(".maps");

static __attribute__((noinline)) int reserve_one(__u64 seq)
{
	__sync_fetch_and_add(&reserved_attempts, 1);
	struct ring_sample *s = bpf_ringbuf_reserve(&reserved, sizeof(*s), 0);
	if (!s) {
		__sync_fetch_and_add(&reserve_failures, 1);
		return 1;
	}
	s->seq = seq;
	s->pid_tgid = bpf_get_current_pid_tgid();
	bpf_ringbuf_submit(s, 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getpgid")
int ringbuf_lost(void *ctx)
{
	if ((__s32)(bpf_get_current_pid_tgid() >> 32) != target_pid)
		return 0;
	for (__u32 i = 0; i < burst && i < 64; i++) {
		reserve_one(i);
		struct ring_sample s = { .seq = i, .pid_tgid = bpf_get_current_pid_tgid() };
		__sync_fetch_and_add(&output_attempts, 1);
		if (bpf_ringbuf_output(&output, &s, sizeof(s), 0))
			__sync_fetch_and_add(&output_failures, 1);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
