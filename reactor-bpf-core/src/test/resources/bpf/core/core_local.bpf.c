// CO-RE test object: the program's view of types whose target layout differs (see core_target.bpf.c).
// Every relocation kind but TYPE_MATCHES (clang 14 cannot emit it) appears; comments give access strings.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

enum core_state { CORE_IDLE = 0, CORE_RUNNING = 1, CORE_RETIRED = 2 };

struct core_inner {
	int a;
	long long b;
} __attribute__((preserve_access_index));

struct core_sample {
	int id;
	unsigned short flags;
	struct core_inner inner;
	int values[4];
	union {
		unsigned int word;
		unsigned char bytes[4];
	};
	unsigned int low : 3;
	int mid : 7;
	unsigned int high : 10;
	enum core_state state;
	long removed;
	short level;
	struct core_sample *next;
} __attribute__((preserve_access_index));

/* a flavor: matched against the target's core_sample by its name without the ___ suffix */
struct core_sample___flavor {
	int id;
	long flavor_only;
} __attribute__((preserve_access_index));

/* a type the target does not have */
struct core_absent {
	int x;
} __attribute__((preserve_access_index));

unsigned long long out[32];

SEC("raw_tp/sys_enter")
int relocate(struct bpf_raw_tracepoint_args *ctx)
{
	struct core_sample *s = (void *)ctx->args[0];
	struct core_sample___flavor *f = (void *)ctx->args[0];

	out[0] = s->id;                                   /* FIELD_BYTE_OFFSET 0:0, ldx */
	out[1] = s->flags;                                /* FIELD_BYTE_OFFSET 0:1, ldx u16 -> u32 */
	out[2] = s->inner.b;                              /* FIELD_BYTE_OFFSET 0:2:1 */
	out[3] = s->values[3];                            /* FIELD_BYTE_OFFSET 0:3:3 */
	out[4] = s->bytes[2];                             /* FIELD_BYTE_OFFSET 0:4:1:2, anonymous union */
	out[5] = BPF_CORE_READ_BITFIELD(s, mid);          /* 0:6 offset, size, lshift, signed, rshift */
	out[6] = BPF_CORE_READ_BITFIELD(s, high);         /* 0:7 */
	out[7] = bpf_core_field_exists(s->removed);       /* FIELD_EXISTS 0:9, absent in the target */
	out[8] = bpf_core_field_size(s->flags);           /* FIELD_BYTE_SIZE 0:1 */
	out[9] = bpf_core_field_exists(f->flavor_only);   /* FIELD_EXISTS 0:1 on the flavor */
	out[10] = f->id;                                  /* FIELD_BYTE_OFFSET 0:0 on the flavor */
	out[11] = s->removed;                             /* FIELD_BYTE_OFFSET 0:9, poisoned */
	out[12] = bpf_core_type_exists(struct core_sample);
	out[13] = bpf_core_type_exists(struct core_absent);
	out[14] = bpf_core_type_size(struct core_sample);
	out[15] = bpf_core_type_id_local(struct core_sample);
	out[16] = bpf_core_type_id_kernel(struct core_sample);
	out[17] = bpf_core_enum_value_exists(enum core_state, CORE_RETIRED);
	out[18] = bpf_core_enum_value(enum core_state, CORE_RUNNING);
	out[19] = bpf_core_enum_value(enum core_state, CORE_RETIRED);
	out[20] = bpf_core_field_offset(s->state);        /* FIELD_BYTE_OFFSET 0:8 as a constant */
	out[21] = s->next->id;                            /* 0:11 then 0:0 */
	out[22] = s->level;                               /* 0:10, signed s16 -> s32: cannot be resized */
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
