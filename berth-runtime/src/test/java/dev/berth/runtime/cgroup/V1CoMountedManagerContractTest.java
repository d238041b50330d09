package dev.berth.runtime.cgroup;

import java.nio.file.Path;

class V1CoMountedManagerContractTest extends CgroupManagerContract {
    @Override
    Fixtures.Host host(Path tmp) {
        return Fixtures.v1CoMounted(tmp);
    }
}
