package dev.berth.cli.tty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class EscapeProxyTest {
    private static String pass(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Test
    void detachKeysAreDockersNames() {
        assertThat(DetachKeys.parse("ctrl-p,ctrl-q")).containsExactly(16, 17);
        assertThat(DetachKeys.parse("a,ctrl-@,ctrl-[,ctrl-_,ctrl-A")).containsExactly('a', 0, 27, 31, 1);
        assertThatThrownBy(() -> DetachKeys.parse("ctrl-1")).hasMessage("Unknown character: 'ctrl-1'");
        assertThatThrownBy(() -> DetachKeys.parse("ab")).hasMessage("Unknown character: 'ab'");
        assertThat(DetachKeys.orDefault("nonsense")).containsExactly(16, 17);
    }

    @Test
    void theSequenceDetachesAndIsNotSent() {
        EscapeProxy proxy = new EscapeProxy(new ByteArrayInputStream("ls\n\u0010\u0011more".getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1)), DetachKeys.parse(DetachKeys.DEFAULT));
        byte[] buffer = new byte[64];
        int n = 0;
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        try {
            while ((n = proxy.read(buffer)) >= 0) {
                sent.write(buffer, 0, n);
            }
            throw new AssertionError("no detach");
        } catch (EscapeProxy.Detached expected) {
            assertThat(expected).hasMessage("read escape sequence");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(sent.toString()).isEqualTo("ls\n");
    }

    @Test
    void aBrokenSequenceGoesThroughAsTyped() throws IOException {
        byte[] keys = DetachKeys.parse(DetachKeys.DEFAULT);
        assertThat(pass(new EscapeProxy(new ByteArrayInputStream("a\u0010b\u0010\u0010c\u0010".getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1)), keys))).isEqualTo("a\u0010b\u0010\u0010c\u0010");
    }
}
