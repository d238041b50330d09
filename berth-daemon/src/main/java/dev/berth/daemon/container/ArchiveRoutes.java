package dev.berth.daemon.container;

import dev.berth.daemon.api.ApiCall;
import dev.berth.daemon.api.Router;
import dev.berth.engine.ContainerEngine;
import dev.berth.engine.archive.PathStat;
import dev.berth.oci.BerthException;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObjectBuilder;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * docker cp's side of the API: {@code HEAD /containers/{id}/archive} (the path's stat in the
 * {@value #STAT_HEADER} header, base64 of docker's PathStat JSON), {@code GET} (a tar of the
 * path, the same header) and {@code PUT} (a tar extracted into a directory).
 */
public final class ArchiveRoutes implements Router.Service {
    static final String STAT_HEADER = "X-Docker-Container-Path-Stat";
    private static final int STREAM_BUFFER = 256 * 1024;

    private final ContainerEngine engine;

    public ArchiveRoutes(ContainerEngine engine) {
        this.engine = engine;
    }

    @Override
    public void routing(Router router) {
        router.head("/containers/{id}/archive", this::stat)
                .get("/containers/{id}/archive", this::get)
                .add("PUT", "/containers/{id}/archive", this::put);
    }

    private void stat(ApiCall call) throws Exception {
        PathStat stat = engine.archiveStat(call.path("id"), path(call));
        call.header(STAT_HEADER, header(stat));
        call.status(200);
    }

    private void get(ApiCall call) throws Exception {
        // not try-with-resources: closing after a failure would send the 200 the failure must replace
        OutputStream out = new BufferedOutputStream(call.lazyStream("application/x-tar"), STREAM_BUFFER);
        engine.archiveGet(call.path("id"), path(call), out, stat -> call.header(STAT_HEADER, header(stat)));
        try {
            out.close();
        } catch (org.eclipse.jetty.io.EofException clientGone) {
            // the docker CLI hangs up once it has read the tar's end blocks, at times before the
            // chunked encoding's last chunk: it has everything, so this is no error
        }
    }

    private void put(ApiCall call) throws Exception {
        String id = call.path("id");
        String path = path(call);
        try (InputStream body = call.body()) {
            engine.archivePut(id, path, body, call.flag("noOverwriteDirNonDir"), call.flag("copyUIDGID"));
        }
        call.status(200);
    }

    private static String path(ApiCall call) {
        return call.query("path").filter(p -> !p.isEmpty())
                .orElseThrow(() -> BerthException.invalid("path is required"));
    }

    /** docker's PathStat as the CLI decodes it: Go's FileMode number, RFC 3339 mtime. */
    static String header(PathStat stat) {
        String json = Json.write(JsonObjectBuilder.create()
                .put("name", stat.name())
                .put("size", stat.size())
                .put("mode", stat.mode())
                .put("mtime", stat.mtime().toString())
                .put("linkTarget", stat.linkTarget())
                .build());
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
