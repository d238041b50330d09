package dev.berth.daemon.image;

import dev.berth.daemon.api.ApiCall;
import dev.berth.daemon.api.Router;
import dev.berth.daemon.events.EventBus;
import dev.berth.daemon.server.HeapTrim;
import dev.berth.image.registry.Distribution;
import dev.berth.image.registry.LoginResult;
import dev.berth.image.registry.PushResult;
import dev.berth.image.registry.RegistryCredentials;
import dev.berth.image.registry.client.RegistryClient;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.Platform;
import dev.berth.oci.image.Reference;
import dev.berth.oci.json.JsonObjectBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry side of the Engine API over a {@link Distribution}: pull ({@code POST
 * /images/create?fromImage}, reached through {@link ImageRoutes}), push, {@code POST /auth}, with
 * the credentials of {@code X-Registry-Auth} and dockerd's {@code pull}/{@code push} image events.
 */
public final class RegistryRoutes implements Router.Service {
    /** The message dockerd's push ends each tag with; its aux message follows it at once. */
    private static final Pattern PUSHED_TAG = Pattern.compile("(\\S+): digest: (\\S+) size: ([0-9]+)");
    private static final int MAX_AUTH_BODY = 64 * 1024;

    private final Distribution distribution;
    private final DistributionInspect inspect;
    private final EventBus events;

    /** @param client the registry transport GET /distribution/{name}/json reads manifests with */
    public RegistryRoutes(Distribution distribution, RegistryClient client, EventBus events) {
        this.distribution = distribution;
        this.inspect = new DistributionInspect(client);
        this.events = events;
    }

    @Override
    public void routing(Router router) {
        router.post("/images/{name*}/push", this::push)
                .post("/auth", this::login)
                .get("/distribution/{name*}/json", this::distribution);
    }

    /**
     * POST /images/create?fromImage=NAME[&amp;tag=TAG|DIGEST][&amp;platform=os/arch[/variant]]: the docker
     * CLI sends the name and the tag (or digest) apart; a name with neither is passed on as it is.
     */
    public void pull(ApiCall call) throws Exception {
        Reference ref = pullReference(call.query("fromImage").orElse(""), call.query("tag").orElse(""));
        Platform platform = PlatformParam.parse(call.query("platform").orElse(""));
        RegistryCredentials credentials = RegistryCredentials.fromHeader(call.header("X-Registry-Auth").orElse(null));
        ProgressStream progress = new ProgressStream(call);
        try {
            distribution.pull(ref, platform, credentials, progress);
        } catch (RuntimeException e) {
            if (!progress.started()) {
                throw notPrompting(e);
            }
            progress.error(message(e));
            progress.finish();
            return;
        } finally {
            HeapTrim.afterLargeTransfer();
        }
        event("pull", ref);
        progress.finish();
    }

    /**
     * A registry's refusal of a pull or push goes out as a 500, as dockerd 20.10 sends it, not
     * as a 401: docker CLI 28 answers a 401 here with its "Login prior to pull:" prompt, which
     * waits forever when stdin is not a terminal (a script, CI). POST /auth keeps its 401.
     */
    private static RuntimeException notPrompting(RuntimeException e) {
        if (e instanceof BerthException b && b.kind() == BerthException.Kind.UNAUTHORIZED) {
            return new BerthException(BerthException.Kind.INTERNAL, b.getMessage(), b);
        }
        return e;
    }

    /** GET /distribution/{name}/json: the registry's descriptor and platforms for a reference. */
    private void distribution(ApiCall call) throws Exception {
        Reference ref = Reference.parse(call.path("name"));
        RegistryCredentials credentials = RegistryCredentials.fromHeader(call.header("X-Registry-Auth").orElse(null));
        call.json(inspect.inspect(ref, credentials));
    }

    static Reference pullReference(String fromImage, String tag) {
        if (fromImage.isEmpty()) {
            throw BerthException.invalid("fromSrc or fromImage is required");
        }
        Reference ref = Reference.parse(fromImage);
        if (tag.isEmpty()) {
            return ref;
        }
        // "tag" may hold a digest: docker pull x@sha256:… sends fromImage=x&tag=sha256:…
        if (Digest.isDigest(tag)) {
            return ref.withoutTag().withoutDigest().withDigest(Digest.parse(tag));
        }
        if (!Reference.isValidTag(tag)) {
            throw BerthException.invalid("invalid tag format: " + tag);
        }
        return ref.withoutDigest().withTag(tag);
    }

    /**
     * POST /images/{name}/push?tag=: every tag of the repository when no tag is given. Each pushed
     * tag's "digest: … size: …" line is followed by its aux message, as dockerd sends them.
     */
    private void push(ApiCall call) throws Exception {
        Reference ref = Reference.parse(call.path("name"));
        String tag = call.query("tag").orElse("");
        if (!tag.isEmpty()) {
            if (!Reference.isValidTag(tag)) {
                throw BerthException.invalid("invalid tag format: " + tag);
            }
            ref = ref.withoutDigest().withTag(tag);
        }
        RegistryCredentials credentials = pushCredentials(call);
        ProgressStream stream = new ProgressStream(call);
        Set<String> auxSent = new HashSet<>();
        PushResult result;
        try {
            result = distribution.push(ref, credentials, p -> {
                stream.send(p);
                Matcher m = PUSHED_TAG.matcher(p.status());
                if (p.id().isEmpty() && m.matches()) {
                    stream.aux(aux(m.group(1), m.group(2), Long.parseLong(m.group(3))));
                    auxSent.add(m.group(1));
                }
            });
        } catch (RuntimeException e) {
            if (!stream.started()) {
                throw notPrompting(e);
            }
            stream.error(message(e));
            stream.finish();
            return;
        } finally {
            HeapTrim.afterLargeTransfer();
        }
        String pushedTag = result.reference().tag().orElse("");
        if (!auxSent.contains(pushedTag)) {
            stream.aux(aux(pushedTag, result.manifestDigest().toString(), result.size()));
        }
        // one event for the push as asked (a repository without tag when every tag went), as dockerd
        event("push", ref);
        stream.finish();
    }

    private static Map<String, Object> aux(String tag, String digest, long size) {
        return JsonObjectBuilder.create().put("Tag", tag).put("Digest", digest).put("Size", size).build();
    }

    /**
     * dockerd takes push credentials from X-Registry-Auth, or else from a JSON body (the API's
     * old form); neither is its 400 "Bad parameters and missing X-Registry-Auth".
     */
    private static RegistryCredentials pushCredentials(ApiCall call) throws IOException {
        String header = call.header("X-Registry-Auth").orElse("");
        if (!header.isEmpty()) {
            return RegistryCredentials.fromHeader(header);
        }
        String body = readSmall(call);
        if (body.isBlank()) {
            throw BerthException.invalid("Bad parameters and missing X-Registry-Auth: EOF");
        }
        return RegistryCredentials.fromJson(body);
    }

    /** POST /auth: the body is docker's auth config; a refusal is 401 with the registry's words. */
    private void login(ApiCall call) throws Exception {
        String body = readSmall(call);
        if (body.isBlank()) {
            throw BerthException.invalid("login: a JSON body with username, password and serveraddress is required");
        }
        RegistryCredentials credentials = RegistryCredentials.fromJson(body);
        String server = credentials.serverAddress().isEmpty() ? "https://index.docker.io/v1/" : credentials.serverAddress();
        LoginResult result = distribution.login(server, credentials);
        call.json(JsonObjectBuilder.create()
                .put("IdentityToken", result.identityToken())
                .put("Status", result.status())
                .build());
    }

    private static String readSmall(ApiCall call) throws IOException {
        byte[] bytes;
        try (InputStream in = call.body()) {
            bytes = in.readNBytes(MAX_AUTH_BODY + 1);
        }
        if (bytes.length > MAX_AUTH_BODY) {
            throw BerthException.invalid("request body is larger than " + MAX_AUTH_BODY / 1024 + " KiB");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String message(RuntimeException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** dockerd's pull and push events: the reference as given, and the repository as its name. */
    private void event(String action, Reference ref) {
        events.publish("image", action, ref.familiar(), Map.of("name", ref.familiarName()));
    }
}
