package io.reactorbpf.core.object;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The compiled BPF test objects under src/test/resources/bpf/loader. */
final class TestObjects {

    private TestObjects() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = TestObjects.class.getResourceAsStream("/bpf/loader/" + name + ".bpf.o")) {
            if (in == null) {
                throw new IllegalStateException("test object " + name + ".bpf.o is missing; run bash .ci/bpf-objects");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens a test object; maps it pins by name are not pinned, so tests leave nothing behind in bpffs. */
    static ObjectSpec open(String name) {
        ObjectSpec spec = BpfObject.open(bytes(name), name);
        spec.maps().stream().filter(MapSpec::pinnedByName).forEach(m -> m.pinPath(null));
        return spec;
    }
}
