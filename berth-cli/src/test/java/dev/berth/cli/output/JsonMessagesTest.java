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
    void onATerminalProgressRedrawsItsLine() throws Exception {
        String out = show("{\"status\":\"Loading layer\",\"progressDetail\":{\"current\":1,\"total\":2},"
                + "\"progress\":\"[=>  ]\",\"id\":\"ab\"}\n", true);
        assertThat(out).isEqualTo("\u001b[2K\rab: Loading layer [=>  ]\r");
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
