package dev.berth.runtime.cgroup;

import dev.berth.oci.runtime.Resources;
import java.nio.file.Path;
import java.util.List;

/**
 * Block IO on cgroup v2. With BFQ the weight file takes blkio-range weights as they are;
 * otherwise io.weight takes the 1..10000 range, converted like runc does.
 *
 * @see <a href="https://docs.kernel.org/admin-guide/cgroup-v2.html#io">cgroup v2, IO</a>
 */
final class V2Io {
    private final CgroupFiles files;
    private final Path dir;

    V2Io(CgroupFiles files, Path dir) {
        this.files = files;
        this.dir = dir;
    }

    void write(Resources.BlockIO io) {
        boolean bfq = files.exists(dir, "io.bfq.weight");
        if (io.weight() != null && io.weight() != 0) {
            if (bfq) {
                files.write(dir, "io.bfq.weight", "default " + io.weight());
            } else {
                files.write(dir, "io.weight", "default " + Conversions.blkioToIoWeight(io.weight()));
            }
        }
        for (Resources.WeightDevice d : io.weightDevice()) {
            if (d.weight() != null && d.weight() != 0) {
                String device = V1BlockIo.device(d.major(), d.minor());
                if (bfq) {
                    files.write(dir, "io.bfq.weight", device + " " + d.weight());
                } else {
                    files.write(dir, "io.weight", device + " " + Conversions.blkioToIoWeight(d.weight()));
                }
            }
        }
        limit("rbps", io.throttleReadBpsDevice());
        limit("wbps", io.throttleWriteBpsDevice());
        limit("riops", io.throttleReadIOPSDevice());
        limit("wiops", io.throttleWriteIOPSDevice());
    }

    /** io.max takes "MAJ:MIN key=value"; a rate of 0 means no limit, which v2 spells max. */
    private void limit(String key, List<Resources.ThrottleDevice> devices) {
        for (Resources.ThrottleDevice d : devices) {
            String rate = d.rate() == 0 ? "max" : Long.toString(d.rate());
            files.write(dir, "io.max", V1BlockIo.device(d.major(), d.minor()) + " " + key + "=" + rate);
        }
    }
}
