package dev.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HtpasswdTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyBcryptVersionVerifiesItsPasswordOnly() {
        Htpasswd h = Htpasswd.parse("alice:" + Bcrypt.hash("2y", "wonder") + "\n"
                + "bob:" + Bcrypt.hash("2a", "builder") + "\n"
                + "carol:" + Bcrypt.hash("2b", "sing") + "\n", "users");
        assertThat(h.users()).containsExactly("alice", "bob", "carol");
        assertThat(h.verify("alice", b("wonder"))).isTrue();
        assertThat(h.verify("bob", b("builder"))).isTrue();
        assertThat(h.verify("carol", b("sing"))).isTrue();
        assertThat(h.verify("alice", b("Wonder"))).isFalse();
        assertThat(h.verify("alice", b("builder"))).isFalse();
        assertThat(h.verify("alice", b(""))).isFalse();
        assertThat(h.verify("mallory", b("wonder"))).isFalse();
    }

    @Test
    void aRememberedPasswordStillRefusesAnotherOne() {
        Htpasswd h = Htpasswd.parse(Bcrypt.line("alice", "wonder"), "users");
        assertThat(h.verify("alice", b("wonder"))).isTrue();
        assertThat(h.verify("alice", b("wonder"))).isTrue(); // from the remembered HMAC
        assertThat(h.verify("alice", b("wonder2"))).isFalse();
        assertThat(h.verify("alice", b("wonder"))).isTrue();
    }

    @Test
    void commentsBlankLinesAndCrlfAreFine() {
        Htpasswd h = Htpasswd.parse("# users\r\n\r\n" + Bcrypt.line("alice", "pw").replace("\n", "\r\n"), "users");
        assertThat(h.verify("alice", b("pw"))).isTrue();
    }

    @Test
    void otherHashKindsAreRefusedWithTheirLine() {
        String good = Bcrypt.line("alice", "pw");
        assertThatThrownBy(() -> Htpasswd.parse(good + "bob:$apr1$abc$defghijklmnopqrstuvwx.\n", "users"))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("users line 2")
                .hasMessageContaining("bob")
                .hasMessageContaining("MD5 (apr1)")
                .hasMessageNotContaining("defghijk"); // never the hash itself
        assertThatThrownBy(() -> Htpasswd.parse("\n\nbob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n", "f"))
                .hasMessageContaining("f line 3").hasMessageContaining("SHA-1");
        assertThatThrownBy(() -> Htpasswd.parse("bob:rl5jL2N4uJ2Pw\n", "f")).hasMessageContaining("crypt or plain-text");
        assertThatThrownBy(() -> Htpasswd.parse("bob:$6$salt$x\n", "f")).hasMessageContaining("SHA-crypt");
        assertThatThrownBy(() -> Htpasswd.parse("bob:$2x$04$" + "a".repeat(53) + "\n", "f")).hasMessageContaining("malformed bcrypt");
        assertThatThrownBy(() -> Htpasswd.parse("bob:" + Bcrypt.hash("2y", "x").substring(0, 50) + "\n", "f"))
                .hasMessageContaining("malformed bcrypt");
    }

    @Test
    void malformedLinesAreRefusedWithTheirLine() {
        assertThatThrownBy(() -> Htpasswd.parse("alice\n", "f")).hasMessageContaining("f line 1: expected name:hash");
        assertThatThrownBy(() -> Htpasswd.parse(":" + Bcrypt.hash("2y", "x"), "f")).hasMessageContaining("expected name:hash");
        assertThatThrownBy(() -> Htpasswd.parse(Bcrypt.line("alice", "a") + Bcrypt.line("alice", "b"), "f"))
                .hasMessageContaining("f line 2").hasMessageContaining("twice");
        assertThatThrownBy(() -> Htpasswd.parse(Bcrypt.line("anonymous", "a"), "f")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> Htpasswd.parse(Bcrypt.line("*", "a"), "f")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> Htpasswd.parse(Bcrypt.line("team/alice", "a"), "f")).hasMessageContaining("'/'");
        assertThatThrownBy(() -> Htpasswd.parse("bob:$2y$03$" + "a".repeat(53), "f")).hasMessageContaining("cost of 3");
    }

    @Test
    void fingerprintChangesWithThePasswordAndIsEmptyForUnknownUsers() {
        Htpasswd one = Htpasswd.parse(Bcrypt.line("alice", "a"), "f");
        Htpasswd two = Htpasswd.parse(Bcrypt.line("alice", "b"), "f");
        assertThat(one.fingerprint("alice")).isNotEmpty().isNotEqualTo(two.fingerprint("alice"));
        assertThat(one.fingerprint("bob")).isEmpty();
    }

    @Test
    void toStringShowsNoHash() {
        Htpasswd h = Htpasswd.parse(Bcrypt.line("alice", "a"), "f");
        assertThat(h.toString()).doesNotContain("$2y$").doesNotContain("alice");
    }

    @Test
    void basicCredentialsParseAndHideThePassword() {
        String header = "Basic " + java.util.Base64.getEncoder().encodeToString(b("alice:pa:ss"));
        BasicCredentials c = BasicCredentials.fromHeader(header).orElseThrow();
        assertThat(c.user()).isEqualTo("alice");
        assertThat(new String(c.password(), StandardCharsets.UTF_8)).isEqualTo("pa:ss");
        assertThat(c.toString()).doesNotContain("pa:ss");
        assertThat(BasicCredentials.fromHeader("basic " + java.util.Base64.getEncoder().encodeToString(b("a:b")))).isPresent();
        assertThat(BasicCredentials.fromHeader("Basic !!!")).isEmpty();
        assertThat(BasicCredentials.fromHeader("Basic " + java.util.Base64.getEncoder().encodeToString(b("nocolon")))).isEmpty();
        assertThat(BasicCredentials.fromHeader("Basic " + java.util.Base64.getEncoder().encodeToString(b(":pw")))).isEmpty();
        assertThat(BasicCredentials.fromHeader("Bearer abc")).isEmpty();
        assertThat(BasicCredentials.fromHeader("Basic")).isEmpty();
        assertThat(BasicCredentials.fromHeader(null)).isEmpty();
    }
}
