package dev.berth.engine.network.kernel;

import dev.berth.engine.network.NetworkKernel.AttachResult;
import dev.berth.oci.BerthException;
import dev.berth.oci.json.JsonObject;
import java.nio.file.Path;

/**
 * Reads what berth needs from a CNI ADD result (SPEC.md "Success"): the interface in the
 * sandbox gives the container's MAC, the one outside it that is not the bridge is the host's
 * end of the veth.
 */
final class CniResult {
    private CniResult() {}

    static AttachResult of(java.util.Map<String, Object> result, Path netns, String ifName, String bridgeName) {
        JsonObject r = JsonObject.root("cni result", result);
        String mac = null;
        String hostVeth = null;
        for (JsonObject i : r.objectList("interfaces")) {
            String name = i.string("name").orElse("");
            String sandbox = i.string("sandbox").orElse("");
            if (!sandbox.isEmpty()) {
                if (name.equals(ifName)) {
                    mac = i.string("mac").orElse("");
                }
            } else if (!name.equals(bridgeName)) {
                hostVeth = name;
            }
        }
        if (mac == null || hostVeth == null) {
            throw BerthException.internal("cni plugin bridge: result without the interfaces of " + ifName + " in " + netns);
        }
        return new AttachResult(mac, hostVeth);
    }
}
