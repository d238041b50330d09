package dev.berth.runtime.cgroup;

import java.nio.file.Path;

class HybridManagerContractTest extends CgroupManagerContract {
    @Override
    Fixtures.Host host(Path tmp) {
        return Fixtures.hybrid(tmp);
    }
}
