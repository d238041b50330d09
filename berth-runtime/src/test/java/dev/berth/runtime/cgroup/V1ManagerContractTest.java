package dev.berth.runtime.cgroup;

import java.nio.file.Path;

class V1ManagerContractTest extends CgroupManagerContract {
    @Override
    Fixtures.Host host(Path tmp) {
        return Fixtures.v1(tmp);
    }
}
