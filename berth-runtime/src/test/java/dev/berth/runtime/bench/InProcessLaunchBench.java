package dev.berth.runtime.bench;

import dev.berth.oci.BerthException;
import dev.berth.runtime.api.CreateOptions;
import dev.berth.runtime.cgroup.CgroupManager;
import dev.berth.runtime.linux.BenchRuntimes;
import dev.berth.runtime.linux.CgroupOpener;
import dev.berth.runtime.linux.LinuxContainerRuntime;
import dev.berth.runtime.sys.LinuxSyscalls;
import dev.berth.runtime.sys.Syscalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The launch berthd will make, timed in one JVM: {@code runtime.run(CreateOptions.of(id,
 * bundle), false)} — berth-init spawned, the container set up, /bin/true run, its exit
 * observed, the container deleted — after a warm-up. Not a test (surefire runs *Test only);
 * bench/in-process-launch.sh runs it as root.
 *
 * <p>{@code --breakdown} wraps the runtime's kernel seams (syscalls, cgroup manager) in
 * recording proxies and prints, per call in launch order, the median time spent in Java before
 * it and in the call itself: where a launch's time goes, without touching the runtime's code.
 * The proxies cost a little, so the breakdown's total is a bit above the plain median.
 *
 * <pre>InProcessLaunchBench --bundle DIR [--root DIR] [--warmup 50] [--runs 200] [--breakdown]</pre>
 */
public final class InProcessLaunchBench {
    private InProcessLaunchBench() {}

    public static void main(String[] args) {
        Path bundle = null;
        Path root = Path.of("/run/berth-bench-inprocess");
        int warmup = 50;
        int runs = 200;
        boolean breakdown = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bundle" -> bundle = Path.of(args[++i]);
                case "--root" -> root = Path.of(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--breakdown" -> breakdown = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (bundle == null) {
            throw new IllegalArgumentException("--bundle DIR is required");
        }
        Path helper = LinuxContainerRuntime.defaultHelper();
        Recorder rec = new Recorder();
        LinuxContainerRuntime runtime = breakdown
                ? BenchRuntimes.library(rec.wrap(Syscalls.class, new LinuxSyscalls()), root, helper,
                        recordingCgroups(rec, CgroupOpener.host()))
                : LinuxContainerRuntime.open(root, helper);

        String tag = Long.toString(ProcessHandle.current().pid());
        for (int i = 0; i < warmup; i++) {
            runOnce(runtime, bundle, "warm-" + tag + "-" + i);
        }
        rec.enabled = breakdown;
        long cpuBefore = cpuTicks();
        long[] ns = new long[runs];
        for (int i = 0; i < runs; i++) {
            rec.begin();
            long t0 = System.nanoTime();
            runOnce(runtime, bundle, "bench-" + tag + "-" + i);
            ns[i] = System.nanoTime() - t0;
            rec.end(t0, ns[i]);
        }
        long cpuTicks = cpuTicks() - cpuBefore;
        Arrays.sort(ns);
        System.out.printf("in-process run of /bin/true: %d runs after %d warm-up: median %.2f ms, p10 %.2f ms, "
                        + "p90 %.2f ms, min %.2f ms, max %.2f ms%s%n", runs, warmup, ms(ns[runs / 2]),
                ms(ns[runs / 10]), ms(ns[runs * 9 / 10]), ms(ns[0]), ms(ns[runs - 1]),
                breakdown ? " (with recording proxies)" : "");
        System.out.printf("CPU per launch (this JVM and the processes it reaped, from /proc/self/stat): %.2f ms%n",
                cpuTicks * 10.0 / runs);
        if (breakdown) {
            rec.print();
        }
        try {
            Files.deleteIfExists(root); // empty once every container is deleted
        } catch (IOException e) {
            System.err.println("left " + root + ": " + e.getMessage());
        }
    }

    /**
     * utime + stime + cutime + cstime of this process, in clock ticks (USER_HZ, 100 on Linux):
     * CPU time moves far less than wall time when other work shares the machine.
     */
    private static long cpuTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3; utime, stime, cutime, cstime are fields 14-17
            return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void runOnce(LinuxContainerRuntime runtime, Path bundle, String id) {
        int status = runtime.run(CreateOptions.of(id, bundle), false);
        if (status != 0) {
            throw BerthException.internal("container " + id + " exited with " + status);
        }
    }

    static double ms(long ns) {
        return ns / 1e6;
    }

    private static CgroupOpener recordingCgroups(Recorder rec, CgroupOpener host) {
        return (path, id, dirs) -> rec.wrap(CgroupManager.class, host.open(path, id, dirs));
    }

    /** Calls through the proxied seams, in order, per timed run: (name, start, end). */
    static final class Recorder {
        volatile boolean enabled;
        private final List<long[]> current = new ArrayList<>();
        private final List<String> names = new ArrayList<>();
        /** Per sequence key "i:name": the gaps before and durations of that call, one per run. */
        private final Map<String, List<long[]>> calls = new LinkedHashMap<>();
        private final List<Long> tails = new ArrayList<>();
        private int runs;

        @SuppressWarnings("unchecked")
        <T> T wrap(Class<T> type, T target) {
            InvocationHandler h = (proxy, method, args) -> invoke(type, target, method, args);
            return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h);
        }

        private Object invoke(Class<?> type, Object target, Method method, Object[] args) throws Throwable {
            long t0 = System.nanoTime();
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                long t1 = System.nanoTime();
                if (enabled && Thread.currentThread().getName().equals("main")) {
                    synchronized (this) {
                        current.add(new long[] {t0, t1});
                        names.add(type.getSimpleName() + "." + method.getName());
                    }
                }
            }
        }

        synchronized void begin() {
            current.clear();
            names.clear();
        }

        synchronized void end(long start, long total) {
            if (!enabled) {
                return;
            }
            runs++;
            long prev = start;
            for (int i = 0; i < current.size(); i++) {
                long[] c = current.get(i);
                calls.computeIfAbsent(i + ":" + names.get(i), k -> new ArrayList<>()).add(new long[] {c[0] - prev, c[1] - c[0]});
                prev = c[1];
            }
            tails.add(start + total - prev);
        }

        synchronized void print() {
            System.out.println();
            System.out.println("median per call, in launch order (java = time in Java since the previous call):");
            System.out.printf("%4s  %-34s %9s %9s %6s%n", "#", "call", "java ms", "call ms", "seen");
            double sumJava = 0;
            double sumCall = 0;
            for (Map.Entry<String, List<long[]>> e : calls.entrySet()) {
                List<long[]> v = e.getValue();
                if (v.size() * 2 < runs) {
                    continue; // a call made in fewer than half the runs (a retry, a poll)
                }
                double java = median(v, 0);
                double call = median(v, 1);
                sumJava += java;
                sumCall += call;
                String[] key = e.getKey().split(":", 2);
                System.out.printf("%4s  %-34s %9.3f %9.3f %6d%n", key[0], key[1], java, call, v.size());
            }
            long[] t = tails.stream().mapToLong(Long::longValue).sorted().toArray();
            double tail = t.length == 0 ? 0 : ms(t[t.length / 2]);
            System.out.printf("%4s  %-34s %9.3f%n", "", "(after the last call)", tail);
            System.out.printf("%4s  %-34s %9.3f %9.3f%n", "", "sum of medians", sumJava + tail, sumCall);
        }

        private static double median(List<long[]> v, int field) {
            long[] a = v.stream().mapToLong(x -> x[field]).sorted().toArray();
            return ms(a[a.length / 2]);
        }
    }
}
