package io.oshigan.dcgan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What this CPU offers for bfloat16, from /proc/cpuinfo (Linux): AMX tiles (Intel Xeon since Sapphire Rapids),
 * AVX-512 BF16 (AMD Zen 4 and later, Intel Cooper Lake and later), or neither, where oneDNN emulates bfloat16 with
 * float32 arithmetic: correct, but slower than float32.
 */
public record CpuFeatures(String model, Set<String> flags) {
    private static final List<String> SHOWN = List.of("avx2", "avx512f", "avx512_bf16", "amx_tile", "amx_bf16");

    public static CpuFeatures ofThisMachine() {
        return parse(Path.of("/proc/cpuinfo"));
    }

    static CpuFeatures parse(Path cpuinfo) {
        try {
            List<String> lines = Files.readAllLines(cpuinfo);
            String model = value(lines, "model name");
            String flags = value(lines, "flags");
            return new CpuFeatures(model.isEmpty() ? System.getProperty("os.arch") : model,
                    Arrays.stream(flags.split("\\s+")).filter(f -> !f.isEmpty()).collect(Collectors.toUnmodifiableSet()));
        } catch (IOException e) {
            return new CpuFeatures(System.getProperty("os.arch"), Set.of()); // not Linux: nothing known
        }
    }

    private static String value(List<String> lines, String key) {
        return lines.stream().filter(l -> l.startsWith(key)).map(l -> l.substring(l.indexOf(':') + 1).trim())
                .findFirst().orElse("");
    }

    public boolean amx() {
        return flags.contains("amx_bf16") && flags.contains("amx_tile");
    }

    public boolean avx512Bf16() {
        return flags.contains("avx512_bf16");
    }

    /** Whether bfloat16 convolutions run on bfloat16 units here (and so faster than float32). */
    public boolean hasBf16Units() {
        return amx() || avx512Bf16();
    }

    /** One line for a log or a benchmark header. */
    public String describe() {
        String units = amx() ? "AMX and AVX-512 BF16: bf16 is fast" : avx512Bf16() ? "AVX-512 BF16: bf16 is fast"
                : "no bfloat16 units: bf16 is emulated (correct, slower than fp32)";
        return model + ", " + Runtime.getRuntime().availableProcessors() + " cores; "
                + SHOWN.stream().filter(flags::contains).collect(Collectors.joining(" ")) + "; " + units;
    }
}
