package dev.berth.cli.container;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * docker run's and docker create's flags (the ones berth supports; run's own are {@link RunFlags}), kept as typed on the command
 * line; {@link CreateBody} turns them into the create request and says what docker says about
 * bad values. Booleans without a short name take an optional {@code =false}, as pflag's do.
 */
public final class ContainerFlags {
    @Option(names = {"-a", "--attach"}, description = "Attach to STDIN, STDOUT or STDERR")
    public List<String> attach = new ArrayList<>();

    @Option(names = "--rm", arity = "0..1", fallbackValue = "true",
            description = "Automatically remove the container and its associated anonymous volumes when it exits")
    public boolean autoRemove;

    @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open even if not attached")
    public boolean interactive;

    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY")
    public boolean tty;

    @Option(names = "--name", description = "Assign a name to the container")
    public String name;

    @Option(names = "--pull", description = "Pull image before running (\"always\", \"missing\", \"never\") (default \"missing\")")
    public String pull = "missing";

    @Option(names = "--platform", description = "Set platform if server is multi-platform capable")
    public String platform;

    @Option(names = {"-q", "--quiet"}, description = "Suppress the pull output")
    public boolean quiet;

    @Option(names = {"-e", "--env"}, description = "Set environment variables")
    public List<String> env = new ArrayList<>();

    @Option(names = "--env-file", description = "Read in a file of environment variables")
    public List<String> envFiles = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, description = "Working directory inside the container")
    public String workdir;

    @Option(names = {"-u", "--user"}, description = "Username or UID (format: <name|uid>[:<group|gid>])")
    public String user;

    @Option(names = "--entrypoint", description = "Overwrite the default ENTRYPOINT of the image")
    public String entrypoint;

    @Option(names = {"-h", "--hostname"}, description = "Container host name")
    public String hostname;

    @Option(names = {"-l", "--label"}, description = "Set meta data on a container")
    public List<String> labels = new ArrayList<>();

    @Option(names = "--restart", description = "Restart policy to apply when a container exits (default \"no\")")
    public String restart;

    @Option(names = {"-v", "--volume"}, description = "Bind mount a volume")
    public List<String> volumes = new ArrayList<>();

    @Option(names = "--mount", description = "Attach a filesystem mount to the container")
    public List<String> mounts = new ArrayList<>();

    @Option(names = "--tmpfs", description = "Mount a tmpfs directory")
    public List<String> tmpfs = new ArrayList<>();

    @Option(names = "--read-only", arity = "0..1", fallbackValue = "true",
            description = "Mount the container's root filesystem as read only")
    public boolean readOnly;

    @Option(names = {"-m", "--memory"}, description = "Memory limit")
    public String memory;

    @Option(names = "--memory-swap", description = "Swap limit equal to memory plus swap: '-1' to enable unlimited swap")
    public String memorySwap;

    @Option(names = "--cpus", description = "Number of CPUs")
    public String cpus;

    @Option(names = {"-c", "--cpu-shares"}, description = "CPU shares (relative weight)")
    public String cpuShares;

    @Option(names = "--cpuset-cpus", description = "CPUs in which to allow execution (0-3, 0,1)")
    public String cpusetCpus;

    @Option(names = "--pids-limit", description = "Tune container pids limit (set -1 for unlimited)")
    public String pidsLimit;

    @Option(names = "--ulimit", description = "Ulimit options")
    public List<String> ulimits = new ArrayList<>();

    @Option(names = "--cap-add", description = "Add Linux capabilities")
    public List<String> capAdd = new ArrayList<>();

    @Option(names = "--cap-drop", description = "Drop Linux capabilities")
    public List<String> capDrop = new ArrayList<>();

    @Option(names = "--privileged", arity = "0..1", fallbackValue = "true",
            description = "Give extended privileges to this container")
    public boolean privileged;

    @Option(names = "--security-opt", description = "Security Options")
    public List<String> securityOpts = new ArrayList<>();

    @Option(names = "--device", description = "Add a host device to the container")
    public List<String> devices = new ArrayList<>();

    @Option(names = "--init", arity = "0..1", fallbackValue = "true",
            description = "Run an init inside the container that forwards signals and reaps processes")
    public Boolean init;

    @Option(names = "--stop-signal", description = "Signal to stop the container")
    public String stopSignal;

    @Option(names = "--stop-timeout", description = "Timeout (in seconds) to stop a container")
    public String stopTimeout;

    @Option(names = "--health-cmd", description = "Command to run to check health")
    public String healthCmd;

    @Option(names = "--health-interval", description = "Time between running the check (ms|s|m|h) (default 0s)")
    public String healthInterval;

    @Option(names = "--health-retries", description = "Consecutive failures needed to report unhealthy")
    public String healthRetries;

    @Option(names = "--health-timeout", description = "Maximum time to allow one check to run (ms|s|m|h) (default 0s)")
    public String healthTimeout;

    @Option(names = "--health-start-period", description = "Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)")
    public String healthStartPeriod;

    @Option(names = "--no-healthcheck", arity = "0..1", fallbackValue = "true",
            description = "Disable any container-specified HEALTHCHECK")
    public boolean noHealthcheck;

    @Option(names = {"--network", "--net"}, description = "Connect a container to a network")
    public List<String> networks = new ArrayList<>();

    @Option(names = "--dns", description = "Set custom DNS servers")
    public List<String> dns = new ArrayList<>();

    @Option(names = {"--dns-option", "--dns-opt"}, description = "Set DNS options")
    public List<String> dnsOptions = new ArrayList<>();

    @Option(names = "--dns-search", description = "Set custom DNS search domains")
    public List<String> dnsSearch = new ArrayList<>();

    @Option(names = "--add-host", description = "Add a custom host-to-IP mapping (host:ip)")
    public List<String> addHosts = new ArrayList<>();

    @Option(names = {"--network-alias", "--net-alias"}, description = "Add network-scoped alias for the container")
    public List<String> networkAliases = new ArrayList<>();

    @Option(names = "--ip", description = "IPv4 address (e.g., 172.30.100.104)")
    public String ip;

    @Option(names = "--ip6", description = "IPv6 address (e.g., 2001:db8::33)")
    public String ip6;

    @Option(names = "--mac-address", description = "Container MAC address (e.g., 92:d0:c6:0a:29:33)")
    public String macAddress;

    @Option(names = {"-p", "--publish"}, description = "Publish a container's port(s) to the host")
    public List<String> publish = new ArrayList<>();

    @Option(names = {"-P", "--publish-all"}, description = "Publish all exposed ports to random ports")
    public boolean publishAll;

    @Option(names = "--expose", description = "Expose a port or a range of ports")
    public List<String> expose = new ArrayList<>();

    @Option(names = "--log-driver", description = "Logging driver for the container")
    public String logDriver;

    @Option(names = "--log-opt", description = "Log driver options")
    public List<String> logOpts = new ArrayList<>();
}
