package io.reactorbpf.examples.run;

import io.reactorbpf.core.attach.BpfLink;

import java.util.ArrayList;
import java.util.List;

/** The links a run made; {@link #close()} detaches them all, newest first, each once. Not thread-safe. */
final class AttachedLinks implements AutoCloseable {

    private final List<BpfLink> links = new ArrayList<>();

    void add(BpfLink link) {
        links.add(link);
    }

    @Override
    public void close() {
        for (int i = links.size() - 1; i >= 0; i--) {
            links.get(i).close();
        }
        links.clear();
    }
}
