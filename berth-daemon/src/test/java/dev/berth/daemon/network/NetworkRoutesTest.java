package dev.berth.daemon.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.daemon.Daemon;
import dev.berth.daemon.testing.RawHttp;
import dev.berth.daemon.testing.TestBridges;
import dev.berth.daemon.testing.TestDaemons;
import dev.berth.oci.json.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The network routes over HTTP against an in-process daemon with no default bridge: statuses,
 * documents and events as dockerd gives them. User networks make a bridge device (root), named
 * {@code bt…} with a 10.2xx subnet of this test's own; each is removed before the test ends.
 */
class NetworkRoutesTest {
    private Path dir;
    private Daemon daemon;
    private Path socket;
    private String tag;
    private String subnet;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(System.getProperty("user.name").equals("root"), "bridge devices need root");
        tag = UUID.randomUUID().toString().replace("-", "").substring(0, 6);
        subnet = "10." + (200 + ThreadLocalRandom.current().nextInt(51)) + "." + ThreadLocalRandom.current().nextInt(200, 256) + ".";
        dir = Files.createTempDirectory("berth-netroutes-");
        daemon = TestDaemons.start(dir);
        socket = TestDaemons.socket(dir);
    }

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) {
            for (Object n : (List<?>) Json.parse(RawHttp.call(socket, "GET", "/networks").text())) {
                String name = (String) ((Map<?, ?>) n).get("Name");
                if (!List.of("bridge", "host", "none").contains(name)) {
                    RawHttp.call(socket, "DELETE", "/networks/" + name);
                }
            }
            daemon.close();
        }
        for (String device : List.of("bt" + tag, "bt" + tag + "b")) {
            TestBridges.remove(device); // only when a failure left one behind
        }
        dev.berth.image.io.FileTrees.deleteQuietly(dir);
    }

    private RawHttp.Response post(String path, String json) throws Exception {
        return RawHttp.call(socket, "POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void assertError(RawHttp.Response r, int status, String message) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.text()).isEqualTo("{\"message\":" + Json.write(message) + "}\n");
    }

    @Test
    void networksAreCreatedListedInspectedAndRemovedAsDockerdDoes() throws Exception {
        String body = "{\"Name\":\"n1\",\"CheckDuplicate\":true,\"IPAM\":{\"Driver\":\"default\",\"Config\":[{\"Subnet\":\"" + subnet
                + "0/24\",\"IPRange\":\"" + subnet + "128/25\",\"Gateway\":\"" + subnet + "254\"}]},\"Internal\":true,"
                + "\"Options\":{\"com.docker.network.bridge.name\":\"bt" + tag + "\"},\"Labels\":{\"team\":\"a\"}}";
        RawHttp.Response created = post("/networks/create", body);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        Map<?, ?> answer = (Map<?, ?>) Json.parse(created.text());
        String id = (String) answer.get("Id");
        assertThat(id).matches("[0-9a-f]{64}");
        assertThat(answer.get("Warning")).isEqualTo("");

        String inspected = RawHttp.call(socket, "GET", "/v1.41/networks/" + id.substring(0, 8)).text();
        assertThat(inspected).startsWith("{\"Name\":\"n1\",\"Id\":\"" + id + "\",\"Created\":\"")
                .contains("\"Scope\":\"local\",\"Driver\":\"bridge\",\"EnableIPv6\":false,\"IPAM\":{\"Driver\":\"default\","
                        + "\"Options\":{},\"Config\":[{\"Subnet\":\"" + subnet + "0/24\",\"IPRange\":\"" + subnet + "128/25\","
                        + "\"Gateway\":\"" + subnet + "254\"}]},\"Internal\":true,\"Attachable\":false,\"Ingress\":false,"
                        + "\"ConfigFrom\":{\"Network\":\"\"},\"ConfigOnly\":false,\"Containers\":{},")
                .contains("\"com.docker.network.bridge.name\":\"bt" + tag + "\"")
                .endsWith("\"Labels\":{\"team\":\"a\"}}\n");
        assertThat(RawHttp.call(socket, "GET", "/networks/n1").text()).contains("\"EnableIPv4\":true");
        assertError(RawHttp.call(socket, "GET", "/networks/n1?scope=swarm"), 404, "network n1 not found");
        assertError(RawHttp.call(socket, "GET", "/networks/nope"), 404, "network nope not found");

        List<?> all = (List<?>) Json.parse(RawHttp.call(socket, "GET", "/networks").text());
        assertThat(all.stream().map(n -> (String) ((Map<?, ?>) n).get("Name")).toList()).containsExactly("host", "n1", "none"); // --bridge=none: no bridge network, as dockerd
        List<?> custom = (List<?>) Json.parse(RawHttp.call(socket, "GET", "/networks?filters=" + q("{\"type\":[\"custom\"]}")).text());
        assertThat(custom).hasSize(1);
        assertThat(((Map<?, ?>) custom.getFirst()).get("Containers")).isEqualTo(Map.of());
        assertError(RawHttp.call(socket, "GET", "/networks?filters=" + q("{\"bogus\":[\"x\"]}")), 400, "invalid filter 'bogus'");

        assertError(post("/networks/create", "{\"Name\":\"n1\"}"), 409, "network with name n1 already exists");
        assertError(post("/networks/create", "{\"Name\":\"n2\",\"IPAM\":{\"Config\":[{\"Subnet\":\"" + subnet + "0/25\"}]},"
                + "\"Options\":{\"com.docker.network.bridge.name\":\"bt" + tag + "b\"}}"), 403, "Pool overlaps with other one on this address space");
        assertError(post("/networks/create", "{\"Name\":\"host\"}"), 403, "operation is not permitted on predefined host network ");
        assertError(post("/networks/create", "{\"Name\":\"n3\",\"Driver\":\"foo\"}"), 404, "plugin \"foo\" not found");
        assertError(RawHttp.call(socket, "DELETE", "/networks/host"), 403, "host is a pre-defined network and cannot be removed");
        assertError(post("/networks/n1/connect", "{}"), 400, "invalid name or ID supplied: \"\"");
        assertError(post("/networks/n1/connect", "{\"Container\":\"nope\"}"), 404, "No such container: nope");

        assertThat(RawHttp.call(socket, "DELETE", "/networks/n1").status()).isEqualTo(204);
        assertError(RawHttp.call(socket, "DELETE", "/networks/n1"), 404, "network n1 not found");
        assertThat(Files.exists(Path.of("/sys/class/net/bt" + tag))).as("the bridge is gone with its network").isFalse();

        String events = RawHttp.call(socket, "GET", "/events?since=0&until=" + (System.currentTimeMillis() / 1000 + 1)
                + "&filters=" + q("{\"type\":[\"network\"]}")).text();
        assertThat(events).contains("{\"Type\":\"network\",\"Action\":\"create\",\"Actor\":{\"ID\":\"" + id
                + "\",\"Attributes\":{\"name\":\"n1\",\"type\":\"bridge\"}},\"scope\":\"local\",\"time\":")
                .contains("\"Action\":\"destroy\",\"Actor\":{\"ID\":\"" + id + "\"");
    }

    @Test
    void pruneRemovesUnusedUserNetworksByFilter() throws Exception {
        assertThat(post("/networks/create", "{\"Name\":\"keep\",\"Labels\":{\"keep\":\"1\"},\"IPAM\":{\"Config\":[{\"Subnet\":\""
                + subnet + "0/25\"}]},\"Options\":{\"com.docker.network.bridge.name\":\"bt" + tag + "\"}}").status()).isEqualTo(201);
        assertThat(post("/networks/create", "{\"Name\":\"go\",\"IPAM\":{\"Config\":[{\"Subnet\":\"" + subnet + "128/25\"}]},"
                + "\"Options\":{\"com.docker.network.bridge.name\":\"bt" + tag + "b\"}}").status()).isEqualTo(201);
        assertThat(post("/networks/prune?filters=" + q("{\"label!\":[\"keep\"]}"), "").text())
                .isEqualTo("{\"NetworksDeleted\":[\"go\"]}\n");
        assertThat(post("/networks/prune?filters=" + q("{\"until\":[\"1h\"]}"), "").text()).isEqualTo("{\"NetworksDeleted\":null}\n");
        assertError(post("/networks/prune?filters=" + q("{\"bogus\":[\"x\"]}"), ""), 400, "invalid filter 'bogus'");
        assertThat(post("/networks/prune", "").text()).isEqualTo("{\"NetworksDeleted\":[\"keep\"]}\n");
    }
}
