package dev.berth.daemon.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.daemon.Daemon;
import dev.berth.daemon.api.Filters;
import dev.berth.daemon.testing.RawHttp;
import dev.berth.daemon.testing.TestDaemons;
import dev.berth.oci.json.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event bus and GET /events: history, since/until, filters, live streaming, shutdown. */
class EventsTest {
    @TempDir
    Path dir;

    private static final String ID = "sha256:a6e577c27835df13feda832ff53d64e19641c11b838233895b05ecb848c56e4a";

    @Test
    void eventsHaveDockersWireForm() {
        Event e = new Event("image", "tag", ID, Map.of("name", "ref:1"), 1795681660666125128L);
        assertThat(Json.write(e.toJson())).isEqualTo("{\"status\":\"tag\",\"id\":\"" + ID + "\",\"Type\":\"image\","
                + "\"Action\":\"tag\",\"Actor\":{\"ID\":\"" + ID + "\",\"Attributes\":{\"name\":\"ref:1\"}},"
                + "\"scope\":\"local\",\"time\":1795681660,\"timeNano\":1795681660666125128}");
    }

    @Test
    void filtersSelectByTypeEventAndImage() {
        Event tag = new Event("image", "tag", ID, Map.of("name", "busybox:latest"), 1);
        Event start = new Event("container", "exec_start: sh -c x", "c1", Map.of("name", "web", "image", "busybox"), 2);
        assertThat(EventFilter.of(Filters.parse("{\"type\":[\"image\"]}")).test(tag)).isTrue();
        assertThat(EventFilter.of(Filters.parse("{\"type\":{\"container\":true}}")).test(tag)).isFalse();
        assertThat(EventFilter.of(Filters.parse("{\"event\":[\"exec_start\"]}")).test(start)).isTrue();
        assertThat(EventFilter.of(Filters.parse("{\"image\":[\"busybox\"]}")).test(tag)).isTrue();
        assertThat(EventFilter.of(Filters.parse("{\"image\":[\"busybox\"]}")).test(start)).isTrue();
        assertThat(EventFilter.of(Filters.parse("{\"image\":[\"a6e577c2\"]}")).test(tag)).isTrue();
        assertThat(EventFilter.of(Filters.parse("{\"image\":[\"alpine\"]}")).test(tag)).isFalse();
        assertThat(EventFilter.of(Filters.parse("{\"container\":[\"web\"]}")).test(tag)).isFalse();
        assertThatThrownBy(() -> EventFilter.of(Filters.parse("{\"colour\":[\"red\"]}"))).hasMessage("invalid filter 'colour'");
        assertThatThrownBy(() -> Filters.parse("{\"type\":")).hasMessageStartingWith("invalid filters: malformed JSON");
    }

    @Test
    void historyIsBounded() {
        EventBus bus = new EventBus();
        for (int i = 0; i < EventBus.HISTORY + 10; i++) {
            bus.publish("image", "tag", "x" + i, Map.of());
        }
        assertThat(bus.subscribe(e -> true, 0L).past()).hasSize(EventBus.HISTORY).first()
                .extracting(Event::actorId).isEqualTo("x10");
    }

    @Test
    void sinceUntilReplaysAndLiveStreamsFollow() throws Exception {
        try (Daemon daemon = TestDaemons.start(dir)) {
            Path socket = TestDaemons.socket(dir);
            EventBus bus = daemon.events();
            bus.publish("image", "tag", ID, Map.of("name", "ref:1"));
            bus.publish("image", "delete", ID, Map.of("name", ID));
            long now = System.currentTimeMillis() / 1000 + 1;

            RawHttp.Response past = RawHttp.call(socket, "GET", "/v1.47/events?since=0&until=" + now);
            assertThat(past.status()).isEqualTo(200);
            List<String> lines = past.text().lines().toList();
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0)).contains("\"Action\":\"tag\"");

            String filter = URLEncoder.encode("{\"event\":[\"delete\"]}", StandardCharsets.UTF_8);
            RawHttp.Response filtered = RawHttp.call(socket, "GET", "/events?since=0&until=" + now + "&filters=" + filter);
            assertThat(filtered.text().lines().toList()).hasSize(1).first().asString().contains("\"delete\"");

            assertThat(RawHttp.call(socket, "GET", "/events?since=yesterday").status()).isEqualTo(400);
            assertThat(RawHttp.call(socket, "GET", "/events?filters=%7B%22bad%22%3A%5B%5D%7D").text())
                    .contains("invalid filter 'bad'");

            // live: a stream opened now sees an event published after it, and ends at shutdown
            try (RawHttp http = new RawHttp(socket)) {
                http.send("GET", "/events", Map.of(), null);
                assertThat(http.readResponse(true).status()).isEqualTo(200);
                CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
                    try {
                        return new String(http.nextChunk(), StandardCharsets.UTF_8);
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                while (bus.listeners() == 0) {
                    Thread.sleep(10);
                }
                bus.publish("image", "untag", ID, Map.of("name", "ref:2"));
                assertThat(first.get()).contains("\"untag\"").endsWith("\n");
                daemon.close();
                assertThat(http.nextChunk()).isNull(); // the stream ended cleanly with the daemon
            }
        }
    }

    @Test
    void aStreamWhoseClientLeftIsDroppedWithoutWaitingForAnEvent() throws Exception {
        try (Daemon daemon = TestDaemons.start(dir)) {
            Path socket = TestDaemons.socket(dir);
            EventBus bus = daemon.events();
            RawHttp gone = new RawHttp(socket);
            gone.send("GET", "/events", Map.of(), null);
            assertThat(gone.readResponse(true).status()).isEqualTo(200);
            try (RawHttp staying = new RawHttp(socket)) {
                staying.send("GET", "/events", Map.of(), null);
                assertThat(staying.readResponse(true).status()).isEqualTo(200);
                awaitListeners(bus, 2);
                gone.close(); // no event follows: only the hang-up itself can tell
                awaitListeners(bus, 1);
                Thread.sleep(1_500); // a client that stays is kept, across the stream's ticks
                assertThat(bus.listeners()).isEqualTo(1);
                bus.publish("image", "tag", ID, Map.of("name", "ref:1"));
                assertThat(new String(staying.nextChunk(), StandardCharsets.UTF_8)).contains("\"tag\"");
            }
            awaitListeners(bus, 0);
        }
    }

    @Test
    void aConnectionServesItsNextRequestAfterAStreamWithUntilEnds() throws Exception {
        try (Daemon daemon = TestDaemons.start(dir);
                RawHttp http = new RawHttp(TestDaemons.socket(dir))) {
            long until = System.currentTimeMillis() / 1000 + 1;
            RawHttp.Response events = http.exchange("GET", "/events?until=" + until, Map.of(), null);
            assertThat(events.status()).isEqualTo(200);
            assertThat(http.exchange("GET", "/_ping", Map.of(), null).text()).isEqualTo("OK");
            assertThat(daemon.events().listeners()).isZero();
        }
    }

    private static void awaitListeners(EventBus bus, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (bus.listeners() != count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(bus.listeners()).as("event listeners").isEqualTo(count);
    }

    @Test
    void timestampsInDockersForms() {
        assertThat(EventRoutes.parseTime("since", "1795681660")).isEqualTo(1795681660_000000000L);
        assertThat(EventRoutes.parseTime("since", "1795681660.5")).isEqualTo(1795681660_500000000L);
        assertThat(EventRoutes.parseTime("since", "2026-11-26T08:00:00Z")).isEqualTo(1795680000_000000000L);
        assertThatThrownBy(() -> EventRoutes.parseTime("until", "soon")).hasMessage("invalid value for until: soon");
    }
}
