package dev.berth.image.registry.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.image.registry.Distribution;
import dev.berth.image.registry.DockerRegistryProcess;
import dev.berth.image.registry.PullResult;
import dev.berth.image.registry.PushResult;
import dev.berth.image.registry.RegistryCredentials;
import dev.berth.image.registry.RegistryDistribution;
import dev.berth.image.registry.RegistryOptions;
import dev.berth.image.registry.push.PushFixture.Kept;
import dev.berth.image.registry.push.PushFixture.Layer;
import dev.berth.image.registry.push.PushFixture.Recorder;
import dev.berth.image.store.Image;
import dev.berth.oci.BerthException;
import dev.berth.oci.image.Platform;
import dev.berth.oci.image.Reference;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push through berthd's {@link Distribution} (the registry client's endpoints, credentials and
 * tokens), against Debian's docker-registry: behind htpasswd Basic auth, and a pull and push
 * round trip where what the pull recorded lets the push mount.
 */
class DistributionPushTest {
    @TempDir
    java.nio.file.Path root;

    private static DockerRegistryProcess start(String user, String password) throws Exception {
        assumeTrue(DockerRegistryProcess.available(), "needs Debian's docker-registry");
        return DockerRegistryProcess.start(user, password);
    }

    @Test
    void pushesBehindBasicAuthWithTheCredentialsAndIsRefusedWithout() throws Exception {
        try (DockerRegistryProcess registry = start("pusher", "s3cret")) {
            PushFixture fx = new PushFixture(root);
            String name = registry.domain() + "/private:1";
            fx.image(List.of(name), fx.textLayer("private", Kept.PLAIN_BLOB));
            Distribution d = new RegistryDistribution(fx.images, RegistryOptions.defaults(), 3);

            assertThatThrownBy(() -> d.push(Reference.parse(name), RegistryCredentials.anonymous(), new Recorder()))
                    .isInstanceOf(BerthException.class)
                    .satisfies(e -> assertThat(((BerthException) e).kind()).isEqualTo(BerthException.Kind.UNAUTHORIZED))
                    .hasMessageContaining("unauthorized");
            RegistryCredentials wrong = new RegistryCredentials("pusher", "wrong", registry.domain(), "", "");
            assertThatThrownBy(() -> d.push(Reference.parse(name), wrong, new Recorder()))
                    .isInstanceOf(BerthException.class)
                    .satisfies(e -> assertThat(((BerthException) e).kind()).isEqualTo(BerthException.Kind.UNAUTHORIZED));

            RegistryCredentials right = new RegistryCredentials("pusher", "s3cret", registry.domain(), "", "");
            Recorder rec = new Recorder();
            PushResult pushed = d.push(Reference.parse(name), right, rec);
            assertThat(rec.lines().getLast()).isEqualTo("1: digest: " + pushed.manifestDigest() + " size: " + pushed.size());
        }
    }

    @Test
    void aPulledImagePushedToAnotherRepositoryIsMountedFromWhereItCameFrom() throws Exception {
        try (DockerRegistryProcess registry = start(null, null)) {
            PushFixture first = new PushFixture(root.resolve("first"));
            Layer a = first.textLayer("pulled-a", Kept.GZIP_BLOB);
            Layer b = first.randomLayer("pulled-b", 1 << 20, 9, Kept.PLAIN_BLOB);
            String origin = registry.domain() + "/origin:1";
            Image image = first.image(List.of(origin), a, b);
            new RegistryDistribution(first.images, RegistryOptions.defaults(), 3)
                    .push(Reference.parse(origin), RegistryCredentials.anonymous(), new Recorder());

            // another daemon pulls it, tags it into another repository, pushes
            PushFixture second = new PushFixture(root.resolve("second"));
            Distribution d = new RegistryDistribution(second.images, RegistryOptions.defaults(), 3);
            PullResult pulled = d.pull(Reference.parse(origin), Platform.of("linux", "amd64"), RegistryCredentials.anonymous(),
                    new Recorder());
            assertThat(pulled.imageId()).isEqualTo(image.id());
            assertThat(Files.isDirectory(root.resolve("second").resolve("distribution"))).isTrue();
            String copy = registry.domain() + "/team/copy:1";
            second.images.tag(origin, Reference.parse(copy));
            Recorder rec = new Recorder();
            d.push(Reference.parse(copy), RegistryCredentials.anonymous(), rec);

            assertThat(rec.statusesOf(a.diffId())).containsExactly("Preparing", "Mounted from origin");
            assertThat(rec.statusesOf(b.diffId())).containsExactly("Preparing", "Mounted from origin");
            // and pushing the same again: everything is there
            Recorder again = new Recorder();
            d.push(Reference.parse(copy), RegistryCredentials.anonymous(), again);
            assertThat(again.statusesOf(a.diffId())).containsExactly("Preparing", "Layer already exists");
            assertThat(again.statusesOf(b.diffId())).containsExactly("Preparing", "Layer already exists");
        }
    }
}
