package dev.berth.cli;

import java.util.List;

/** docker's global flags, as the root command's options fill them. */
public final class GlobalOptions {
    public List<String> hosts;
    public boolean tls;
    /** null when neither --tlsverify nor --tlsverify=false was given (then DOCKER_TLS_VERIFY decides). */
    public Boolean tlsVerify;
    public String tlsCaCert;
    public String tlsCert;
    public String tlsKey;
    public boolean debug;
    /** --config: docker's config directory (config.json), or null for DOCKER_CONFIG / ~/.docker. */
    public String configDir;
}
