// Test object for the ELF and BTF readers: one of each shape the loader meets in real programs.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define __tagged __attribute__((btf_decl_tag("shapes")))
#define __user_ptr __attribute__((btf_type_tag("user")))

typedef unsigned int u32;
typedef unsigned long long u64;

enum color { RED, GREEN = 5, BLUE = -1 };

struct flags {
	unsigned int low : 3;
	unsigned int mid : 7;
	unsigned int high : 22;
};

union word {
	u32 as_int;
	unsigned char bytes[4];
};

struct shape {
	u64 id;
	char name[16];
	union word tag;
	struct flags flags;
	enum color color;
	double ratio;
	const volatile int *limit;
	char __user_ptr *label;
} __tagged;

/* a kernel struct as this object believes it looks; CO-RE moves its field offsets */
struct task_like {
	int pid;
	int tgid;
	struct {
		u64 start;
		u64 end;
	} times;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, u32);
	__type(value, struct shape);
} shapes SEC(".maps");

const volatile u32 filter_pid = 0;
u64 seen = 1;
u64 dropped;
static u64 calls;

static __attribute__((noinline)) u64 weigh(struct shape *s)
{
	return s->id * 3 + s->flags.mid;
}

SEC("tracepoint/syscalls/sys_enter_getpid")
int observe(struct task_like *task)
{
	u32 key = task->tgid;
	struct shape *s;

	if (filter_pid && task->pid != filter_pid)
		return 0;
	s = bpf_map_lookup_elem(&shapes, &key);
	if (!s) {
		__sync_fetch_and_add(&dropped, 1);
		return 0;
	}
	__sync_fetch_and_add(&calls, 1);
	seen += weigh(s) + task->times.end;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
