package dev.berth.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.json.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListingTest {
    private static final Instant NOW = Instant.ofEpochSecond(1_795_681_613L + 3600);

    private static List<Map<String, Object>> images(String json) {
        return Fields.objects(Json.parse(json));
    }

    private static final String IMAGES = """
            [{"Containers":-1,"Created":1795681613,"Id":"sha256:2704372d703564aefdb4c22d53e21193bc72b9919ac28fe286dd84f22bb934a8",
              "RepoDigests":["built@sha256:1111111111111111111111111111111111111111111111111111111111111111"],
              "RepoTags":["built:1","docker.io/library/built:2"],"SharedSize":-1,"Size":2289465,"VirtualSize":2289465},
             {"Containers":-1,"Created":1795681604,"Id":"sha256:5e4db7c76cafc47a25d79ba0e865ba20616b9533bc4d79c6eee572fcfec91f3b",
              "RepoDigests":null,"RepoTags":null,"SharedSize":-1,"Size":2,"VirtualSize":2}]""";

    @Test
    void imagesTableAsDocker() {
        List<Row> rows = ImageRows.rows(images(IMAGES), false, true, NOW, ZoneOffset.UTC);
        assertThat(Listing.render("", ImageRows.DEFAULT_TABLE, ImageRows.HEADERS, rows)).isEqualTo("""
                REPOSITORY   TAG       IMAGE ID       CREATED         SIZE
                built        1         2704372d7035   About an hour ago   2.29MB
                built        2         2704372d7035   About an hour ago   2.29MB
                <none>       <none>    5e4db7c76caf   About an hour ago   2B
                """.replace("CREATED         SIZE", "CREATED             SIZE"));
    }

    @Test
    void digestsGetARowPerDigest() {
        List<Row> rows = ImageRows.rows(images(IMAGES), true, true, NOW, ZoneOffset.UTC);
        assertThat(rows).extracting(r -> r.get("Digest")).containsExactly(
                "sha256:1111111111111111111111111111111111111111111111111111111111111111",
                "sha256:1111111111111111111111111111111111111111111111111111111111111111", "<none>");
    }

    @Test
    void jsonAndRawFormats() {
        List<Row> rows = ImageRows.rows(images(IMAGES), false, false, NOW, ZoneOffset.UTC);
        assertThat(Listing.render("json", ImageRows.DEFAULT_TABLE, ImageRows.HEADERS, rows.subList(2, 3))).isEqualTo(
                "{\"Containers\":\"N/A\",\"CreatedAt\":\"2026-11-26 08:26:44 +0000 UTC\",\"CreatedSince\":\"About an hour ago\","
                + "\"Digest\":\"\\u003cnone\\u003e\",\"ID\":\"sha256:5e4db7c76cafc47a25d79ba0e865ba20616b9533bc4d79c6eee572fcfec91f3b\","
                + "\"Repository\":\"\\u003cnone\\u003e\",\"SharedSize\":\"N/A\",\"Size\":\"2B\",\"Tag\":\"\\u003cnone\\u003e\","
                + "\"UniqueSize\":\"N/A\",\"VirtualSize\":\"2B\"}\n");
        assertThat(Listing.render("{{.Repository}}:{{.Tag}}\\t{{.Size}}", "", ImageRows.HEADERS, rows))
                .isEqualTo("built:1\t2.29MB\nbuilt:2\t2.29MB\n<none>:<none>\t2B\n");
        assertThat(Listing.render("table {{.Repository}}\\t{{.VirtualSize}}", "", ImageRows.HEADERS, rows.subList(0, 1)))
                .isEqualTo("REPOSITORY   SIZE\nbuilt        2.289MB\n");
    }

    @Test
    void templateErrorsAreTemplateParsingErrors() {
        List<Row> rows = ImageRows.rows(images(IMAGES), false, true, NOW, ZoneOffset.UTC);
        assertThatThrownBy(() -> Listing.render("{{.Nope}}", "", ImageRows.HEADERS, rows)).hasMessage(
                "template parsing error: template: :1:2: executing \"\" at <.Nope>: can't evaluate field Nope in type *formatter.imageContext");
        assertThatThrownBy(() -> Listing.render("{{.Foo", "", ImageRows.HEADERS, rows))
                .hasMessage("template parsing error: template: :1: unclosed action");
    }

    @Test
    void emptyTableStillHasItsHeader() {
        assertThat(Listing.render("", ImageRows.DEFAULT_TABLE, ImageRows.HEADERS, List.of()))
                .isEqualTo("REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n");
    }

    @Test
    void historyTruncatesCreatedByAndIds() {
        List<Map<String, Object>> history = images("""
                [{"Comment":"","Created":1795681613,"CreatedBy":"/bin/sh -c #(nop)  CMD [\\"/bin/busybox\\" \\"echo\\" \\"<hi & bye>\\"]",
                  "Id":"sha256:2704372d703564aefdb4c22d53e21193bc72b9919ac28fe286dd84f22bb934a8","Size":0,"Tags":["built:1"]},
                 {"Comment":"first import","Created":1795681604,"CreatedBy":"","Id":"<missing>","Size":1982259,"Tags":null}]""");
        String out = Listing.render("", HistoryRows.HUMAN_TABLE, HistoryRows.HEADERS,
                HistoryRows.rows(history, true, true, NOW, ZoneOffset.UTC));
        assertThat(out).isEqualTo(
                "IMAGE          CREATED             CREATED BY                                      SIZE      COMMENT\n"
                + "2704372d7035   About an hour ago   /bin/sh -c #(nop)  CMD [\"/bin/busybox\" \"echo…   0B        \n"
                + "<missing>      About an hour ago                                                   1.98MB    first import\n");
        String raw = Listing.render("", HistoryRows.NON_HUMAN_TABLE, HistoryRows.HEADERS,
                HistoryRows.rows(history, false, true, NOW, ZoneOffset.UTC));
        assertThat(raw).contains("CREATED AT").contains("2026-11-26T08:26:53Z").contains("1982259");
    }

    @Test
    void diskUsageSummary() {
        Map<String, Object> df = Fields.object(Json.parse("""
                {"LayersSize":2289467,"Images":[{"Containers":0,"Size":2289465,"SharedSize":1982259},
                 {"Containers":1,"Size":1982259,"SharedSize":1982259},{"Containers":0,"Size":2,"SharedSize":0}],
                 "Containers":[],"Volumes":[],"BuildCache":null,"BuilderSize":0}"""));
        assertThat(Listing.render("", DiskUsage.SUMMARY_TABLE, DiskUsage.summaryHeaders(), DiskUsage.summary(df)))
                .isEqualTo("""
                        TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE
                        Images          3         1         2.289MB   2.289MB (100%)
                        Containers      0         0         0B        0B
                        Local Volumes   0         0         0B        0B
                        Build Cache     0         0         0B        0B
                        """);
    }
}
