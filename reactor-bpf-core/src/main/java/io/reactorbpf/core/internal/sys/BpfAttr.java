package io.reactorbpf.core.internal.sys;

import static io.reactorbpf.core.internal.sys.AttrField.bytes;
import static io.reactorbpf.core.internal.sys.AttrField.u32;
import static io.reactorbpf.core.internal.sys.AttrField.u64;

/**
 * The layouts of {@code union bpf_attr} (linux/bpf.h), one nested class per command. Each member's name is
 * its C member designator within the union, so a test can check every offset and size against the header.
 */
public final class BpfAttr {

    /** Bytes reserved for any attr; larger than every layout below. */
    public static final int SIZE = 160;

    private BpfAttr() {
    }

    /** BPF_MAP_CREATE. */
    public static final class MapCreate {
        public static final AttrField MAP_TYPE = u32("map_type", 0);
        public static final AttrField KEY_SIZE = u32("key_size", 4);
        public static final AttrField VALUE_SIZE = u32("value_size", 8);
        public static final AttrField MAX_ENTRIES = u32("max_entries", 12);
        public static final AttrField MAP_FLAGS = u32("map_flags", 16);
        public static final AttrField INNER_MAP_FD = u32("inner_map_fd", 20);
        public static final AttrField NUMA_NODE = u32("numa_node", 24);
        public static final AttrField MAP_NAME = bytes("map_name", 28, 16);
        public static final AttrField MAP_IFINDEX = u32("map_ifindex", 44);
        public static final AttrField BTF_FD = u32("btf_fd", 48);
        public static final AttrField BTF_KEY_TYPE_ID = u32("btf_key_type_id", 52);
        public static final AttrField BTF_VALUE_TYPE_ID = u32("btf_value_type_id", 56);
        public static final AttrField BTF_VMLINUX_VALUE_TYPE_ID = u32("btf_vmlinux_value_type_id", 60);
        public static final AttrField MAP_EXTRA = u64("map_extra", 64);
        public static final int END = 72;

        private MapCreate() {
        }
    }

    /** BPF_MAP_LOOKUP_ELEM, BPF_MAP_UPDATE_ELEM, BPF_MAP_DELETE_ELEM, BPF_MAP_GET_NEXT_KEY, BPF_MAP_FREEZE. */
    public static final class MapElem {
        public static final AttrField MAP_FD = u32("map_fd", 0);
        public static final AttrField KEY = u64("key", 8);
        public static final AttrField VALUE = u64("value", 16);
        public static final AttrField NEXT_KEY = u64("next_key", 16);
        public static final AttrField FLAGS = u64("flags", 24);
        public static final int END = 32;

        private MapElem() {
        }
    }

    /** BPF_MAP_*_BATCH. */
    public static final class Batch {
        public static final AttrField IN_BATCH = u64("batch.in_batch", 0);
        public static final AttrField OUT_BATCH = u64("batch.out_batch", 8);
        public static final AttrField KEYS = u64("batch.keys", 16);
        public static final AttrField VALUES = u64("batch.values", 24);
        public static final AttrField COUNT = u32("batch.count", 32);
        public static final AttrField MAP_FD = u32("batch.map_fd", 36);
        public static final AttrField ELEM_FLAGS = u64("batch.elem_flags", 40);
        public static final AttrField FLAGS = u64("batch.flags", 48);
        public static final int END = 56;

        private Batch() {
        }
    }

    /** BPF_PROG_LOAD. */
    public static final class ProgLoad {
        public static final AttrField PROG_TYPE = u32("prog_type", 0);
        public static final AttrField INSN_CNT = u32("insn_cnt", 4);
        public static final AttrField INSNS = u64("insns", 8);
        public static final AttrField LICENSE = u64("license", 16);
        public static final AttrField LOG_LEVEL = u32("log_level", 24);
        public static final AttrField LOG_SIZE = u32("log_size", 28);
        public static final AttrField LOG_BUF = u64("log_buf", 32);
        public static final AttrField KERN_VERSION = u32("kern_version", 40);
        public static final AttrField PROG_FLAGS = u32("prog_flags", 44);
        public static final AttrField PROG_NAME = bytes("prog_name", 48, 16);
        public static final AttrField PROG_IFINDEX = u32("prog_ifindex", 64);
        public static final AttrField EXPECTED_ATTACH_TYPE = u32("expected_attach_type", 68);
        public static final AttrField PROG_BTF_FD = u32("prog_btf_fd", 72);
        public static final AttrField FUNC_INFO_REC_SIZE = u32("func_info_rec_size", 76);
        public static final AttrField FUNC_INFO = u64("func_info", 80);
        public static final AttrField FUNC_INFO_CNT = u32("func_info_cnt", 88);
        public static final AttrField LINE_INFO_REC_SIZE = u32("line_info_rec_size", 92);
        public static final AttrField LINE_INFO = u64("line_info", 96);
        public static final AttrField LINE_INFO_CNT = u32("line_info_cnt", 104);
        public static final AttrField ATTACH_BTF_ID = u32("attach_btf_id", 108);
        public static final AttrField ATTACH_PROG_FD = u32("attach_prog_fd", 112);
        public static final AttrField ATTACH_BTF_OBJ_FD = u32("attach_btf_obj_fd", 112);
        public static final AttrField CORE_RELO_CNT = u32("core_relo_cnt", 116);
        public static final AttrField FD_ARRAY = u64("fd_array", 120);
        public static final AttrField CORE_RELOS = u64("core_relos", 128);
        public static final AttrField CORE_RELO_REC_SIZE = u32("core_relo_rec_size", 136);
        public static final int END = 140;

        private ProgLoad() {
        }
    }

    /** BPF_OBJ_PIN, BPF_OBJ_GET. */
    public static final class Obj {
        public static final AttrField PATHNAME = u64("pathname", 0);
        public static final AttrField BPF_FD = u32("bpf_fd", 8);
        public static final AttrField FILE_FLAGS = u32("file_flags", 12);
        public static final int END = 16;

        private Obj() {
        }
    }

    /** BPF_BTF_GET_NEXT_ID and BPF_BTF_GET_FD_BY_ID. */
    public static final class GetId {
        public static final AttrField START_ID = u32("start_id", 0);
        public static final AttrField BTF_ID = u32("btf_id", 0);
        public static final AttrField NEXT_ID = u32("next_id", 4);
        public static final AttrField OPEN_FLAGS = u32("open_flags", 8);
        public static final int END = 12;

        private GetId() {
        }
    }

    /** BPF_PROG_TEST_RUN. */
    public static final class TestRun {
        public static final AttrField PROG_FD = u32("test.prog_fd", 0);
        public static final AttrField RETVAL = u32("test.retval", 4);
        public static final AttrField DATA_SIZE_IN = u32("test.data_size_in", 8);
        public static final AttrField DATA_SIZE_OUT = u32("test.data_size_out", 12);
        public static final AttrField DATA_IN = u64("test.data_in", 16);
        public static final AttrField DATA_OUT = u64("test.data_out", 24);
        public static final AttrField REPEAT = u32("test.repeat", 32);
        public static final AttrField DURATION = u32("test.duration", 36);
        public static final AttrField CTX_SIZE_IN = u32("test.ctx_size_in", 40);
        public static final AttrField CTX_SIZE_OUT = u32("test.ctx_size_out", 44);
        public static final AttrField CTX_IN = u64("test.ctx_in", 48);
        public static final AttrField CTX_OUT = u64("test.ctx_out", 56);
        public static final AttrField FLAGS = u32("test.flags", 64);
        public static final AttrField CPU = u32("test.cpu", 68);
        public static final AttrField BATCH_SIZE = u32("test.batch_size", 72);
        public static final int END = 76;

        private TestRun() {
        }
    }

    /** BPF_OBJ_GET_INFO_BY_FD. */
    public static final class Info {
        public static final AttrField BPF_FD = u32("info.bpf_fd", 0);
        public static final AttrField INFO_LEN = u32("info.info_len", 4);
        public static final AttrField INFO = u64("info.info", 8);
        public static final int END = 16;

        private Info() {
        }
    }

    /** BPF_RAW_TRACEPOINT_OPEN. */
    public static final class RawTracepoint {
        public static final AttrField NAME = u64("raw_tracepoint.name", 0);
        public static final AttrField PROG_FD = u32("raw_tracepoint.prog_fd", 8);
        public static final int END = 16;

        private RawTracepoint() {
        }
    }

    /** BPF_BTF_LOAD. */
    public static final class BtfLoad {
        public static final AttrField BTF = u64("btf", 0);
        public static final AttrField BTF_LOG_BUF = u64("btf_log_buf", 8);
        public static final AttrField BTF_SIZE = u32("btf_size", 16);
        public static final AttrField BTF_LOG_SIZE = u32("btf_log_size", 20);
        public static final AttrField BTF_LOG_LEVEL = u32("btf_log_level", 24);
        public static final int END = 28;

        private BtfLoad() {
        }
    }

    /** BPF_LINK_CREATE. */
    public static final class LinkCreate {
        public static final AttrField PROG_FD = u32("link_create.prog_fd", 0);
        public static final AttrField TARGET_FD = u32("link_create.target_fd", 4);
        public static final AttrField ATTACH_TYPE = u32("link_create.attach_type", 8);
        public static final AttrField FLAGS = u32("link_create.flags", 12);
        public static final AttrField TARGET_BTF_ID = u32("link_create.target_btf_id", 16);
        public static final AttrField ITER_INFO = u64("link_create.iter_info", 16);
        public static final AttrField ITER_INFO_LEN = u32("link_create.iter_info_len", 24);
        public static final AttrField PERF_EVENT_BPF_COOKIE = u64("link_create.perf_event.bpf_cookie", 16);
        public static final AttrField TRACING_COOKIE = u64("link_create.tracing.cookie", 24);
        public static final int END = 48;

        private LinkCreate() {
        }
    }

    /** BPF_PROG_BIND_MAP. */
    public static final class ProgBindMap {
        public static final AttrField PROG_FD = u32("prog_bind_map.prog_fd", 0);
        public static final AttrField MAP_FD = u32("prog_bind_map.map_fd", 4);
        public static final AttrField FLAGS = u32("prog_bind_map.flags", 8);
        public static final int END = 12;

        private ProgBindMap() {
        }
    }
}
