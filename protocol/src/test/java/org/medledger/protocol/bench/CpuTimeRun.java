package org.medledger.protocol.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * The ECC JMH benchmarks' methods timed by <b>thread CPU time</b>, all of them interleaved in
 * rounds. On the shared build machine (2 cores, load average often 15–20) wall-clock medians of
 * benchmarks run minutes apart differ by several times and their ratios mean nothing; CPU time
 * does not count the time spent waiting for a core, and interleaving exposes every method to the
 * same cache and frequency conditions. Same states and setups as JMH (fresh states per method,
 * trial setups once,
 * invocation setups before every call, outside the timed region); each method is first warmed
 * up for 0.5 s of CPU, setups included (at least 200 calls). Not a unit test; run:
 *
 * <pre>
 * mvn -pl protocol test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *   "-Dexec.args=-cp %classpath org.medledger.protocol.bench.CpuTimeRun [regex] [rounds]"
 * </pre>
 *
 * Prints median and 10th percentile per method (µs) and writes
 * {@code target/cpu-time-result.json} in JMH's result shape (percentiles 50.0 and 10.0).
 */
public final class CpuTimeRun {

    private static final List<Class<?>> BENCHMARKS = List.of(
            PrimitivesBenchmark.class, EmrAuthBenchmark.class, CloudChainBenchmark.class, InterHospitalBenchmark.class,
            org.medledger.protocol.group.ChebyshevBenchmark.class, org.medledger.protocol.group.GroupMemberBenchmark.class,
            org.medledger.protocol.pairing.PairingBenchmark.class);
    private static final int CALLS_PER_ROUND = 4;
    private static final long WARM_UP_NANOS = 500_000_000L;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private Map<Class<?>, Object> states = new HashMap<>();
    private final java.util.Set<Object> initialised = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    private record Target(String name, Method method, Object owner, Object[] args, List<Runnable> perCall, List<Long> samples) {
    }

    public static void main(String[] args) throws Exception {
        Pattern filter = Pattern.compile(args.length > 0 ? args[0] : "^(?!.*cardUnlock).*");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        new CpuTimeRun().run(filter, rounds);
    }

    private void run(Pattern filter, int rounds) throws Exception {
        if (!threads.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("thread CPU time is not supported here");
        }
        threads.setThreadCpuTimeEnabled(true);
        List<Target> targets = new ArrayList<>();
        for (Class<?> c : BENCHMARKS) {
            java.lang.reflect.Field param = Arrays.stream(c.getFields())
                    .filter(f -> f.isAnnotationPresent(org.openjdk.jmh.annotations.Param.class)).findFirst().orElse(null);
            String[] values = param == null ? new String[] {""} : param.getAnnotation(org.openjdk.jmh.annotations.Param.class).value();
            for (String value : values) {
            for (Method m : c.getMethods()) {
                String name = c.getSimpleName() + "." + m.getName() + (value.isEmpty() ? "" : "[" + value + "]");
                if (m.isAnnotationPresent(Benchmark.class) && filter.matcher(name).find()) {
                    // fresh states per method, as JMH's fork per benchmark: some steps change their world
                    states = new HashMap<>();
                    if (param != null) {
                        Object paramOwner = c.getDeclaredConstructor().newInstance();
                        param.set(paramOwner, value);
                        states.put(c, paramOwner);
                    }
                    List<Runnable> perCall = new ArrayList<>();
                    Object owner = state(c, perCall);
                    Object[] params = new Object[m.getParameterCount()];
                    for (int i = 0; i < params.length; i++) {
                        params[i] = state(m.getParameterTypes()[i], perCall);
                    }
                    targets.add(new Target(name, m, owner, params, perCall, new ArrayList<>()));
                }
            }
            }
        }
        targets.sort((a, b) -> a.name().compareTo(b.name()));
        // warm-up: each method until it has used WARM_UP_NANOS of CPU (at least 200 calls), discarded
        for (Target t : targets) {
            long start = threads.getCurrentThreadCpuTime();
            for (int k = 0; k < 200 || threads.getCurrentThreadCpuTime() - start < WARM_UP_NANOS; k++) {
                call(t);
            }
        }
        for (int r = 0; r < rounds; r++) {
            for (Target t : targets) {
                for (int k = 0; k < CALLS_PER_ROUND; k++) {
                    t.samples().add(call(t));
                }
            }
        }
        StringBuilder json = new StringBuilder("[\n");
        for (Target t : targets) {
            long[] s = t.samples().stream().mapToLong(Long::longValue).sorted().toArray();
            double median = s[s.length / 2] / 1000.0;
            double p10 = s[s.length / 10] / 1000.0;
            System.out.printf(Locale.ROOT, "%-55s median %10.2f µs   p10 %10.2f µs   (%d calls)%n", t.name(), median, p10, s.length);
            json.append(String.format(Locale.ROOT,
                    "  {\"benchmark\": \"org.medledger.protocol.bench.%s\", \"mode\": \"cpu-time\", "
                    + "\"primaryMetric\": {\"scoreUnit\": \"us/op\", \"scorePercentiles\": {\"50.0\": %.3f, \"10.0\": %.3f}}},%n",
                    t.name(), median, p10));
        }
        if (json.charAt(json.length() - 2) == ',') {
            json.setLength(json.length() - 2);
            json.append('\n');
        }
        json.append("]\n");
        Path out = Path.of("target", "cpu-time-result.json");
        writeQuietly(out, json.toString());
        System.out.println("Results: " + out.toAbsolutePath());
    }

    private long call(Target t) throws Exception {
        for (Runnable r : t.perCall()) {
            r.run();
        }
        long start = threads.getCurrentThreadCpuTime();
        try {
            t.method().invoke(t.owner(), t.args());
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(t.name() + " failed", e.getCause());
        }
        return threads.getCurrentThreadCpuTime() - start;
    }

    /** The state object of a type: created once, trial setups run once, invocation setups registered. */
    private Object state(Class<?> type, List<Runnable> perCall) throws Exception {
        Object existing = states.get(type);
        if (existing == null || !initialised.contains(existing)) {
            if (existing == null) {
                existing = type.getDeclaredConstructor().newInstance();
                states.put(type, existing);
            }
            initialised.add(existing);
            for (Method s : setups(type)) {
                if (s.getAnnotation(Setup.class).value() != Level.Invocation) {
                    s.invoke(existing, stateArgs(s, perCall));
                }
            }
        }
        Object state = existing;
        for (Method s : setups(type)) {
            if (s.getAnnotation(Setup.class).value() == Level.Invocation) {
                Object[] a = stateArgs(s, perCall);
                perCall.add(() -> {
                    try {
                        s.invoke(state, a);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
        }
        return state;
    }

    private Object[] stateArgs(Method s, List<Runnable> perCall) throws Exception {
        Object[] a = new Object[s.getParameterCount()];
        for (int i = 0; i < a.length; i++) {
            a[i] = state(s.getParameterTypes()[i], perCall);
        }
        return a;
    }

    private static List<Method> setups(Class<?> type) {
        return Arrays.stream(type.getMethods())
                .filter(m -> m.isAnnotationPresent(Setup.class) && !Modifier.isStatic(m.getModifiers()))
                .toList();
    }

    private static void writeQuietly(Path out, String text) {
        try {
            Files.createDirectories(out.getParent());
            Files.writeString(out, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("could not write " + out + ": " + e.getMessage());
        }
    }
}
