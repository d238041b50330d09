package dev.berth.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.TestCli;
import dev.berth.oci.json.Json;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerRowsTest {
    private static Map<String, Object> summary(String json) {
        return Fields.object(Json.parse(json, "test"));
    }

    private static final String WEB = """
            {"Id":"a3a94fba1c83583329f42dec97285d7c908603e5bc0cf79f6c537476c15dc913","Names":["/web"],
             "Image":"busybox","ImageID":"sha256:093e957a4e77aa11","Command":"sh -c 'echo hi > /x; exit 3'",
             "Created":1795684913,"State":"exited","Status":"Exited (3) 5 minutes ago","Ports":[],
             "Labels":{"b":"2","a":"1"},"SizeRw":12,"SizeRootFs":1985994,
             "Mounts":[{"Name":"data","Driver":"local","Source":"/var/lib/berth/volumes/data/_data"},
                       {"Name":"","Source":"/srv/a/very/long/host/path","Driver":""}],
             "NetworkSettings":{"Networks":{"none":{},"host":{}}}}""";

    @Test
    void fieldsReadAsDockersContainerContext() {
        Row row = ContainerRows.row(summary(WEB), true, TestCli.NOW, ZoneOffset.UTC);
        assertThat(row.get("ID")).isEqualTo("a3a94fba1c83");
        assertThat(row.get("Names")).isEqualTo("web");
        assertThat(row.get("Command")).isEqualTo("\"sh -c 'echo hi > /x…\"");
        assertThat(row.get("RunningFor")).isEqualTo("5 minutes ago");
        assertThat(row.get("CreatedAt")).isEqualTo("2026-11-26 09:21:53 +0000 UTC");
        assertThat(row.get("Status")).isEqualTo("Exited (3) 5 minutes ago");
        assertThat(row.get("Size")).isEqualTo("12B (virtual 1.99MB)");
        assertThat(row.get("Labels")).isEqualTo("a=1,b=2");
        assertThat(row.get("LocalVolumes")).isEqualTo("1");
        assertThat(row.get("Mounts")).isEqualTo("data,/srv/a/very/lo…");
        assertThat(row.get("Networks")).isEqualTo("host,none");
        Row full = ContainerRows.row(summary(WEB), false, TestCli.NOW, ZoneOffset.UTC);
        assertThat(full.get("Command")).isEqualTo("\"sh -c 'echo hi > /x; exit 3'\"");
        assertThat(full.get("ID")).isEqualTo("a3a94fba1c83583329f42dec97285d7c908603e5bc0cf79f6c537476c15dc913");
    }

    @Test
    void sizeWithoutRootFsIsTheWritableLayerOnly() {
        assertThat(ContainerRows.size(0, 0)).isEqualTo("0B");
        assertThat(ContainerRows.size(1234, 0)).isEqualTo("1.23kB");
        assertThat(ContainerRows.size(3, 1_985_994)).isEqualTo("3B (virtual 1.99MB)");
    }

    @Test
    void imageIsShortenedAsDockerDoes() {
        assertThat(ContainerRows.image(summary("{\"Image\":\"busybox:latest\",\"ImageID\":\"sha256:1\"}"), true))
                .isEqualTo("busybox:latest");
        assertThat(ContainerRows.image(summary("{\"Image\":\"docker.io/library/busybox\",\"ImageID\":\"sha256:1\"}"), true))
                .isEqualTo("busybox");
        String digest = "busybox@sha256:" + "ab".repeat(32);
        assertThat(ContainerRows.image(summary("{\"Image\":\"" + digest + "\",\"ImageID\":\"sha256:1\"}"), true))
                .isEqualTo("busybox");
        assertThat(ContainerRows.image(summary("{\"Image\":\"" + digest + "\"}"), false)).isEqualTo(digest);
        assertThat(ContainerRows.image(summary("{\"Image\":\"sha256:093e957a4e77aa11\",\"ImageID\":\"sha256:093e957a4e77aa11\"}"),
                true)).isEqualTo("093e957a4e77");
        assertThat(ContainerRows.image(summary("{}"), true)).isEqualTo("<no image>");
    }

    @Test
    void namesSkipLegacyLinkNamesWhenTruncated() {
        assertThat(ContainerRows.names(List.of("/other/alias", "/web"), true)).isEqualTo("web");
        assertThat(ContainerRows.names(List.of("/other/alias", "/web"), false)).isEqualTo("other/alias,web");
    }

    @Test
    void portsFoldIntoRangesAndMappings() {
        List<Map<String, Object>> ports = Fields.objects(Json.parse("""
                [{"PrivatePort":81,"Type":"tcp"},{"PrivatePort":80,"Type":"tcp"},{"PrivatePort":53,"Type":"udp"},
                 {"IP":"0.0.0.0","PrivatePort":8080,"PublicPort":8080,"Type":"tcp"},
                 {"IP":"0.0.0.0","PrivatePort":443,"PublicPort":9443,"Type":"tcp"},
                 {"IP":"::","PrivatePort":8080,"PublicPort":8080,"Type":"tcp"}]""", "test"));
        assertThat(Ports.display(ports)).isEqualTo(
                "53/udp, 80-81/tcp, 0.0.0.0:8080->8080/tcp, [::]:8080->8080/tcp, 0.0.0.0:9443->443/tcp");
        assertThat(Ports.display(List.of())).isEmpty();
    }

    @Test
    void quotingAndEllipsisFollowGo() {
        assertThat(GoText.quote("a \"b\"\t\\ é\u0001")).isEqualTo("\"a \\\"b\\\"\\t\\\\ é\\x01\"");
        assertThat(GoText.ellipsis("sleep 3600", 20)).isEqualTo("sleep 3600");
        assertThat(GoText.ellipsis("echo 'a very long command'", 20)).isEqualTo("echo 'a very long c…");
        assertThat(GoText.ellipsis("日本語のコマンドです", 7)).isEqualTo("日本語…");
        assertThat(GoText.ellipsis("abc", 1)).isEqualTo("a");
    }

    @Test
    void volumesSortInNaturalOrder() {
        assertThat(NaturalOrder.compare("v2", "v10")).isNegative();
        assertThat(NaturalOrder.compare("v10", "v2")).isPositive();
        assertThat(NaturalOrder.compare("a", "b")).isNegative();
        assertThat(NaturalOrder.compare("v01", "v1")).isNegative();
        assertThat(NaturalOrder.compare("v1", "v1")).isZero();
        List<Row> rows = VolumeRows.rows(Fields.objects(Json.parse("""
                [{"Name":"v10","Driver":"local"},{"Name":"v2","Driver":"local","UsageData":{"Size":2048,"RefCount":1}}]""",
                "test")));
        assertThat(rows).extracting(r -> r.get("Name")).containsExactly("v2", "v10");
        assertThat(rows.get(0).get("Size")).isEqualTo("2.048kB");
        assertThat(rows.get(0).get("Links")).isEqualTo("1");
        assertThat(rows.get(1).get("Size")).isEqualTo("N/A");
    }
}
