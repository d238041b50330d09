package dev.berth.registry.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.registry.auth.AuthOptions;
import dev.berth.registry.auth.RegistryAuths;
import dev.berth.registry.auth.TokenEndpoint;
import dev.berth.registry.it.Tools.Run;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * berth's token server in front of Debian's docker-registry (distribution 2.8) in token mode:
 * distribution verifies our ES256 tokens (key found by its libtrust key id among the
 * rootcertbundle's certificates, issuer, audience, lifetime, access claim) while skopeo pushes and
 * pulls. An independent check that the tokens are what docker's token spec says, not only what
 * our own verifier accepts.
 */
class DistributionTokenIT {
    private static Path work;
    private static HttpServer tokenServer;
    private static Process registry;
    private static int port;
    /** "METHOD grant_type" of each token request, to see which flow a client used. */
    private static final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());

    @AfterAll
    static void cleanUp() throws Exception {
        if (tokenServer != null) {
            tokenServer.stop(0);
        }
        Tools.stop(registry);
        Tools.deleteTree(work);
    }

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/docker-registry")), "no Debian docker-registry");
        work = Files.createTempDirectory("berth-regauth-dist-");

        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = g.generateKeyPair();
        Path key = work.resolve("token.key");
        Files.writeString(key, pem(new JcaPKCS8Generator(pair.getPrivate(), null)));
        Path cert = work.resolve("token.crt");
        Files.writeString(cert, pem(selfSigned(pair)));
        Path htpasswd = work.resolve("htpasswd");
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        Files.writeString(htpasswd, "alice:" + OpenBSDBCrypt.generate("2y", "wonder".getBytes(StandardCharsets.UTF_8), salt, 5) + "\n");
        Path acl = work.resolve("acl");
        Files.writeString(acl, "alice alice/** *\nalice shared/* pull\n");

        tokenServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        String realm = "http://127.0.0.1:" + tokenServer.getAddress().getPort() + "/token";
        TokenEndpoint endpoint = RegistryAuths.create(new AuthOptions(htpasswd, "token", realm, "berth-interop", acl, key,
                Duration.ofMinutes(5))).tokenEndpoint().orElseThrow();
        tokenServer.createContext(endpoint.path(), exchange -> serve(exchange, endpoint));
        tokenServer.start();

        port = Tools.freePort();
        Path config = work.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: info
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                auth:
                  token:
                    realm: %s
                    service: berth-interop
                    issuer: %s
                    rootcertbundle: %s
                """.formatted(work.resolve("storage"), port, realm, realm, cert));
        registry = new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("registry.log").toFile()).start();
        waitForPort(port);
    }

    @Test
    void distributionAcceptsOurTokensAndOnlyForWhatTheyGrant() throws Exception {
        Assumptions.assumeTrue(Tools.onPath("skopeo"), "no skopeo on PATH");
        Path archive = TinyImage.dockerArchive(work, "interop:1");
        String dest = "docker://127.0.0.1:" + port + "/alice/app:1";
        Run push = skopeo("copy", "--dest-tls-verify=false", "--dest-creds", "alice:wonder", "docker-archive:" + archive, dest);
        assertThat(push.status()).as(push.all() + Files.readString(work.resolve("registry.log"))).isZero();
        Run pull = skopeo("copy", "--src-tls-verify=false", "--src-creds", "alice:wonder", dest, "oci:" + work.resolve("oci") + ":x");
        assertThat(pull.status()).as(pull.all()).isZero();

        // the token only grants pull on shared/*: distribution refuses the push
        Run notGranted = skopeo("copy", "--dest-tls-verify=false", "--dest-creds", "alice:wonder", "docker-archive:" + archive,
                "docker://127.0.0.1:" + port + "/shared/app:1");
        assertThat(notGranted.status()).as(notGranted.all()).isNotZero();
        assertThat(notGranted.err()).contains("denied: requested access to the resource is denied");
        Run wrong = skopeo("copy", "--src-tls-verify=false", "--src-creds", "alice:nope", dest, "oci:" + work.resolve("oci2") + ":x");
        assertThat(wrong.status()).as(wrong.all()).isNotZero();
        assertThat(wrong.err()).containsIgnoringCase("unauthorized");
    }

    @Test
    void dockerLogsInWithAnIdentityTokenAndPushesWithIt() throws Exception {
        Path dockerWork = Files.createDirectories(work.resolve("dockerd"));
        try (PrivateDockerd d = PrivateDockerd.start(dockerWork)) {
            Path archive = TinyImage.dockerArchive(work, "viadocker:1");
            assertThat(d.docker("load", "-i", archive.toString()).status()).isZero();
            String server = "127.0.0.1:" + port;
            Run wrong = d.dockerWithInput("nope\n", "login", "-u", "alice", "--password-stdin", server);
            assertThat(wrong.status()).as(wrong.all()).isNotZero();
            Run login = d.dockerWithInput("wonder\n", "login", "-u", "alice", "--password-stdin", server);
            assertThat(login.status()).as(login.all()).isZero();
            assertThat(d.configJson()).contains("identitytoken");
            requests.clear();
            String image = server + "/alice/docker:1";
            assertThat(d.docker("tag", "viadocker:1", image).status()).isZero();
            Run push = d.docker("push", image);
            assertThat(push.status()).as(push.all() + Files.readString(work.resolve("registry.log"))).isZero();
            // dockerd traded the stored identity token (our refresh token) for access tokens
            assertThat(requests).contains("POST refresh_token").doesNotContain("GET null");
            assertThat(d.docker("rmi", image).status()).isZero();
            Run pull = d.docker("pull", image);
            assertThat(pull.status()).as(pull.all()).isZero();
        }
    }

    private static void serve(HttpExchange exchange, TokenEndpoint endpoint) throws IOException {
        Map<String, List<String>> params = new LinkedHashMap<>();
        parse(exchange.getRequestURI().getRawQuery(), params);
        if ("POST".equals(exchange.getRequestMethod())) {
            parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), params);
        }
        requests.add(exchange.getRequestMethod() + " " + (params.containsKey("grant_type") ? params.get("grant_type").get(0) : null));
        TokenEndpoint.TokenResponse answer = endpoint.issue(new TokenEndpoint.TokenRequest(exchange.getRequestMethod(),
                exchange.getRequestHeaders().getFirst("Authorization"), params));
        byte[] body = answer.json().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (answer.wwwAuthenticateOrNull() != null) {
            exchange.getResponseHeaders().set("WWW-Authenticate", answer.wwwAuthenticateOrNull());
        }
        exchange.sendResponseHeaders(answer.status(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static void parse(String query, Map<String, List<String>> into) {
        if (query == null || query.isEmpty()) {
            return;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            into.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
    }

    private static Run skopeo(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("skopeo"));
        command.addAll(List.of(args));
        return Tools.run(work, Map.of("REGISTRY_AUTH_FILE", work.resolve("auth.json").toString()), command);
    }

    private static void waitForPort(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (var s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("docker-registry did not listen on " + port);
    }

    private static java.security.cert.X509Certificate selfSigned(KeyPair pair) throws Exception {
        X500Name name = new X500Name("CN=berth token signer");
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minusSeconds(3600)), Date.from(now.plus(Duration.ofDays(1))), name, pair.getPublic());
        var holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        return new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(holder);
    }

    private static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(o);
        }
        return w.toString();
    }
}
