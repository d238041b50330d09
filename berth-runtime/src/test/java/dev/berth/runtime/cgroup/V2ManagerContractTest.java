package dev.berth.runtime.cgroup;

import java.nio.file.Path;

class V2ManagerContractTest extends CgroupManagerContract {
    @Override
    Fixtures.Host host(Path tmp) {
        return Fixtures.v2(tmp);
    }
}
