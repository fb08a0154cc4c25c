// SPDX-License-Identifier: GPL-2.0
// user_ringbuf_drain: on each getpgid() by process target_pid, drains the user ring buffer `requests` with
// bpf_user_ringbuf_drain, whose callback reads each record's first u64 and checks that the values arrive as
// 0, 1, 2, ... in order; the globals say what was drained, what was out of order, and what the drains returned.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __s32 target_pid = 0;

__u64 drained = 0;
__u64 sum = 0;
__u64 out_of_order = 0;
__u64 short_records = 0;
__s64 last_error = 0;

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 4096);
} requests SEC(".maps");

static long take(struct bpf_dynptr *record, void *ctx)
{
	__u64 value;

	if (bpf_dynptr_read(&value, sizeof(value), record, 0, 0)) {
		short_records++;
		return 0;
	}
	if (value != drained)
		out_of_order++;
	drained++;
	sum += value;
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getpgid")
int drain_requests(void *ctx)
{
	if ((__s32)(bpf_get_current_pid_tgid() >> 32) != target_pid)
		return 0;
	long n = bpf_user_ringbuf_drain(&requests, take, NULL, 0);
	if (n < 0)
		last_error = n;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
