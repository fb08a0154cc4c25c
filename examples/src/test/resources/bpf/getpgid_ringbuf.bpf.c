// SPDX-License-Identifier: GPL-2.0
// getpgid_ringbuf: one event per getpgid() call by process target_pid, reserved in and submitted to a BPF ring
// buffer, with the program's own counts of what it sent and what did not fit, so the runner's output can be checked
// against what was produced.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct ring_event {
	__s32 pid;
	__u32 seq;
	char comm[16];
};

/* Puts struct ring_event in the object's BTF for --type: the ring buffer map itself names no value type. */
const struct ring_event *unused_event __attribute__((unused));

/* Set before load: the process to watch (0: none). */
const volatile __s32 target_pid = 0;

/* Events submitted and reserves that failed (ring full); one watched thread calls getpgid(). */
__u64 submitted = 0;
__u64 failed = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} events SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getpgid")
int getpgid_ringbuf(void *ctx)
{
	if ((__s32)(bpf_get_current_pid_tgid() >> 32) != target_pid)
		return 0;
	struct ring_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		failed++;
		return 0;
	}
	e->pid = target_pid;
	e->seq = submitted++;
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
