package io.reactorbpf.examples.serve;

import io.reactorbpf.examples.exec.ExecEvent;
import io.reactorbpf.examples.exec.Lost;
import io.reactorbpf.perf.PerfEvent;
import io.reactorbpf.spring.boot.BpfEventStream;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class EventsHandlerTest {

    private static final ExecEvent EXEC = new ExecEvent(1, 42, 7, 0, "sh", List.of("/bin/echo", "two\nlines"));

    @Test
    void anExecIsOneServerSentEventNamedExecWhoseDataIsOneLineOfJson() {
        assertEquals("event:exec\ndata:{\"cpu\":1,\"pid\":42,\"ppid\":7,\"uid\":0,\"comm\":\"sh\","
                + "\"args\":[\"/bin/echo\",\"two\\nlines\"]}\n\n", EventsHandler.event(EXEC));
    }

    @Test
    void aLossIsAServerSentEventNamedLost() {
        assertEquals("event:lost\ndata:{\"lost\":3,\"client\":true}\n\n",
                EventsHandler.event(new Lost(Lost.CLIENT, 3)));
    }

    @Test
    void anNdjsonLineIsTheJsonAndOneLineEnd() {
        assertEquals("{\"lost\":5,\"cpu\":1}\n", EventsHandler.line(new Lost(1, 5)));
    }

    @Test
    void theAcceptHeaderPicksTheTypeByQualityAndRefusesNeither() {
        assertEquals(MediaType.APPLICATION_NDJSON, EventsHandler.negotiate(List.of()));
        assertEquals(MediaType.TEXT_EVENT_STREAM, EventsHandler.negotiate(
                MediaType.parseMediaTypes("application/x-ndjson;q=0.5, text/event-stream")));
        assertEquals(MediaType.APPLICATION_NDJSON, EventsHandler.negotiate(MediaType.parseMediaTypes("*/*")));
        assertNull(EventsHandler.negotiate(MediaType.parseMediaTypes("application/json")));
    }

    @Test
    void aSampleIsDecodedAsAnExecAndEachLossKeepsWhereItHappened() {
        ByteBuffer sample = ByteBuffer.allocate(36 + 10).order(ByteOrder.nativeOrder());
        sample.putInt(0, 42).putInt(4, 7).putInt(8, 0).putInt(12, 1).putInt(16, 10);
        sample.put(20, "sh".getBytes(StandardCharsets.UTF_8)).put(36, "/bin/true\0".getBytes(StandardCharsets.UTF_8));
        assertEquals(new ExecEvent(1, 42, 7, 0, "sh", List.of("/bin/true")),
                EventsHandler.signal(new PerfEvent.Sample(1, sample.array())));
        assertEquals(new Lost(3, 5), EventsHandler.signal(new PerfEvent.Lost(3, 5)));
        assertEquals(new Lost(Lost.CLIENT, 9), EventsHandler.signal(new PerfEvent.Lost(BpfEventStream.SUBSCRIBER, 9)));
    }
}
