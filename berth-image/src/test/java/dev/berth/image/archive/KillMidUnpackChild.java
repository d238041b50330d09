package dev.berth.image.archive;

import dev.berth.image.layer.LayerUnpacker;
import dev.berth.image.snapshot.OverlaySnapshotter;
import dev.berth.image.store.ImageService;
import dev.berth.runtime.sys.LinuxSyscalls;
import dev.berth.runtime.sys.Syscalls;
import java.io.ByteArrayInputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;

/**
 * The process {@link KillMidUnpackTest} kills: loads an archive into {@code args[0]} with
 * background unpacking, and freezes the unpack after its first file (its first {@code lutimens}),
 * saying "mid-unpack" on stdout; the test then sends SIGKILL.
 */
public final class KillMidUnpackChild {
    private KillMidUnpackChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dataRoot = Path.of(args[0]);
        LinuxSyscalls real = new LinuxSyscalls();
        Syscalls freezing = (Syscalls) Proxy.newProxyInstance(Syscalls.class.getClassLoader(), new Class<?>[] {Syscalls.class},
                (proxy, method, margs) -> {
                    if (method.getName().equals("lutimens")) {
                        System.out.println("mid-unpack");
                        System.out.flush();
                        Thread.sleep(Long.MAX_VALUE);
                    }
                    try {
                        return method.invoke(real, margs);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        OverlaySnapshotter snapshots = new OverlaySnapshotter(dataRoot, new LayerUnpacker(freezing), true);
        ImageService service = ImageService.open(dataRoot, snapshots);
        ImageTransfer transfer = new ImageTransfer(dataRoot, service.content(), snapshots, ImageRegistry.of(service));
        transfer.load(new ByteArrayInputStream(dev.berth.image.archive.testing.Tars.resource("docker20-multi.tar")));
        System.out.println("loaded");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
