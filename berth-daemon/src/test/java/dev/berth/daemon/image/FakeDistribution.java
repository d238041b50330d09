package dev.berth.daemon.image;

import dev.berth.image.registry.Distribution;
import dev.berth.image.registry.LoginResult;
import dev.berth.image.registry.ProgressSink;
import dev.berth.image.registry.PullResult;
import dev.berth.image.registry.PushResult;
import dev.berth.image.registry.RegistryCredentials;
import dev.berth.oci.image.Platform;
import dev.berth.oci.image.Reference;
import java.util.ArrayList;
import java.util.List;

/** A {@link Distribution} that records its calls and plays a script of progress messages and a result. */
final class FakeDistribution implements Distribution {
    /** What a call does with its progress sink: send messages, then return a result or throw. */
    @FunctionalInterface
    interface Script<T> {
        T run(ProgressSink progress);
    }

    record Call(String what, Reference ref, Platform platform, RegistryCredentials credentials, String server) {}

    final List<Call> calls = new ArrayList<>();
    Script<PullResult> pull = p -> {
        throw new AssertionError("pull not scripted");
    };
    Script<PushResult> push = p -> {
        throw new AssertionError("push not scripted");
    };
    Script<LoginResult> login = p -> LoginResult.succeeded("");

    @Override
    public synchronized PullResult pull(Reference ref, Platform platform, RegistryCredentials credentials, ProgressSink progress) {
        calls.add(new Call("pull", ref, platform, credentials, ""));
        return pull.run(progress);
    }

    @Override
    public synchronized PushResult push(Reference ref, RegistryCredentials credentials, ProgressSink progress) {
        calls.add(new Call("push", ref, null, credentials, ""));
        return push.run(progress);
    }

    @Override
    public synchronized LoginResult login(String serverAddress, RegistryCredentials credentials) {
        calls.add(new Call("login", null, null, credentials, serverAddress));
        return login.run(ProgressSink.NONE);
    }
}
