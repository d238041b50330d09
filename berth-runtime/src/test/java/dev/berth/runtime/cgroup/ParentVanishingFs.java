package dev.berth.runtime.cgroup;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * A {@link CgroupFs} that, the first time a mkdir finds its directory already there, runs
 * another container's destroy before returning: the interleaving in which the shared parent
 * is found, then removed as empty by that destroy, before the child's mkdir.
 */
final class ParentVanishingFs implements CgroupFs {
    private final CgroupFs fs;
    private Runnable otherDestroy;

    ParentVanishingFs(CgroupFs fs, Runnable otherDestroy) {
        this.fs = fs;
        this.otherDestroy = otherDestroy;
    }

    @Override
    public boolean mkdir(Path dir) {
        boolean made = fs.mkdir(dir);
        if (!made && otherDestroy != null) {
            Runnable destroy = otherDestroy;
            otherDestroy = null;
            destroy.run();
        }
        return made;
    }

    @Override
    public String read(Path file) {
        return fs.read(file);
    }

    @Override
    public void write(Path file, String value) {
        fs.write(file, value);
    }

    @Override
    public boolean rmdir(Path dir) {
        return fs.rmdir(dir);
    }

    @Override
    public boolean exists(Path path) {
        return fs.exists(path);
    }

    @Override
    public OptionalLong inode(Path dir) {
        return fs.inode(dir);
    }

    @Override
    public List<Path> childDirs(Path dir) {
        return fs.childDirs(dir);
    }
}
