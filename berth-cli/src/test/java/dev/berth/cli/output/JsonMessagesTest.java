package dev.berth.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonMessagesTest {
    private static String show(String stream, boolean terminal) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonMessages.display(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), terminal);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void offATerminalProgressIsSkippedAndTheRestPrinted() throws Exception {
        String stream = """
                {"status":"Loading layer","progressDetail":{"current":32768,"total":2000000},"progress":"[>   ]  32.77kB/2MB","id":"0e0bc37063c7"}
                {"stream":"Loaded image: bbx:1\\n"}
                {"status":"sha256:2c53"}
                {"aux":{"ID":"sha256:2c53"}}

                {"status":"Done","id":"abc"}
                """;
        assertThat(show(stream, false)).isEqualTo("Loaded image: bbx:1\nsha256:2c53\nabc: Done\n");
    }

    @Test
    void onATerminalEachLayerKeepsItsLineAndIsRedrawnInPlace() throws Exception {
        String stream = """
                {"status":"Pulling from x","id":"1"}
                {"status":"Pulling fs layer","progressDetail":{},"id":"aa"}
                {"status":"Pulling fs layer","progressDetail":{},"id":"bb"}
                {"status":"Downloading","progressDetail":{"current":500000,"total":1000000},"progress":"[=>]","id":"aa"}
                {"status":"Pull complete","progressDetail":{},"id":"bb"}
                {"status":"Digest: sha256:1"}
                """;
        String up = "\u001b[%dA";
        String down = "\u001b[%dB";
        String clear = "\u001b[2K\r";
        assertThat(show(stream, true)).isEqualTo("1: Pulling from x\n"
                + "\n" + up.formatted(1) + clear + "aa: Pulling fs layer \r" + down.formatted(1)
                + "\n" + up.formatted(1) + clear + "bb: Pulling fs layer \r" + down.formatted(1)
                + up.formatted(2) + clear + "aa: Downloading [=========================>                         ]    "
                + "500kB/1MB\r" + down.formatted(2)
                + up.formatted(1) + clear + "bb: Pull complete \r" + down.formatted(1)
                + "Digest: sha256:1\n");
    }

    @Test
    void offATerminalPullStepsArePrintedAndBarsSkipped() throws Exception {
        String stream = """
                {"status":"Pulling from x","id":"1"}
                {"status":"Pulling fs layer","progressDetail":{},"id":"aa"}
                {"status":"Downloading","progressDetail":{"current":5,"total":10},"progress":"[=>]","id":"aa"}
                {"status":"Pull complete","progressDetail":{},"id":"aa"}
                {"progressDetail":{},"aux":{"Tag":"1","Digest":"sha256:1","Size":527}}
                {"status":"Status: Downloaded newer image for x:1"}
                """;
        assertThat(show(stream, false)).isEqualTo("1: Pulling from x\naa: Pulling fs layer\naa: Pull complete\n"
                + "Status: Downloaded newer image for x:1\n");
    }

    @Test
    void anUnauthorizedErrorIsDockersSentence() {
        assertThatThrownBy(() -> show("{\"errorDetail\":{\"code\":401,\"message\":\"no\"},\"error\":\"no\"}\n", false))
                .isInstanceOf(JsonMessages.StreamError.class).hasMessage("authentication is required");
    }

    @Test
    void anErrorMessageEndsTheStream() {
        assertThatThrownBy(() -> show("{\"stream\":\"x\\n\"}\n{\"errorDetail\":{\"message\":\"bad tar\"},\"error\":\"bad tar\"}\n"
                + "{\"stream\":\"never\"}\n", false)).isInstanceOf(JsonMessages.StreamError.class).hasMessage("bad tar");
    }

    @Test
    void malformedJsonFromTheDaemonIsAnError() {
        assertThatThrownBy(() -> show("{not json\n", false)).hasMessageContaining("daemon message: malformed JSON");
    }
}
