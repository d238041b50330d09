package dev.berth.runtime.cgroup;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Resources;
import java.nio.file.Path;
import java.util.List;

/**
 * blkio weights and throttles on cgroup v1. Kernels without CFQ (5.0+) only have the BFQ
 * weight files, so the weight goes to whichever of the two exists.
 *
 * @see <a href="https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#block-io">config-linux.md, Block IO</a>
 * @see <a href="https://docs.kernel.org/admin-guide/cgroup-v1/blkio-controller.html">blkio-controller</a>
 */
final class V1BlockIo {
    private final CgroupFiles files;
    private final Path dir;

    V1BlockIo(CgroupFiles files, Path dir) {
        this.files = files;
        this.dir = dir;
    }

    void write(Resources.BlockIO io) {
        if (io.weight() != null && io.weight() != 0) {
            files.write(dir, weightFile("blkio.weight", "blkio.bfq.weight"), io.weight());
        }
        if (io.leafWeight() != null && io.leafWeight() != 0) {
            V1Resources.require(files, dir, "blkio.leaf_weight", "blkio leaf weight");
            files.write(dir, "blkio.leaf_weight", io.leafWeight());
        }
        for (Resources.WeightDevice d : io.weightDevice()) {
            if (d.weight() != null && d.weight() != 0) {
                files.write(dir, weightFile("blkio.weight_device", "blkio.bfq.weight_device"),
                        device(d.major(), d.minor()) + " " + d.weight());
            }
            if (d.leafWeight() != null && d.leafWeight() != 0) {
                V1Resources.require(files, dir, "blkio.leaf_weight_device", "blkio leaf weight");
                files.write(dir, "blkio.leaf_weight_device", device(d.major(), d.minor()) + " " + d.leafWeight());
            }
        }
        throttle("blkio.throttle.read_bps_device", io.throttleReadBpsDevice());
        throttle("blkio.throttle.write_bps_device", io.throttleWriteBpsDevice());
        throttle("blkio.throttle.read_iops_device", io.throttleReadIOPSDevice());
        throttle("blkio.throttle.write_iops_device", io.throttleWriteIOPSDevice());
    }

    private String weightFile(String cfq, String bfq) {
        if (files.exists(dir, cfq)) {
            return cfq;
        }
        if (files.exists(dir, bfq)) {
            return bfq;
        }
        throw BerthException.unsupported("blkio weight is not supported by this kernel: neither " + cfq
                + " nor " + bfq + " exists in " + dir);
    }

    private void throttle(String file, List<Resources.ThrottleDevice> devices) {
        for (Resources.ThrottleDevice d : devices) {
            files.write(dir, file, device(d.major(), d.minor()) + " " + d.rate());
        }
    }

    static String device(long major, long minor) {
        return major + ":" + minor;
    }
}
