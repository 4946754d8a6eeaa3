package io.oshigan.dcgan;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CpuFeaturesTest {

    @Test
    void bfloat16UnitsAreReadFromTheFlagsAndASlowBf16IsSaidWhy(@TempDir Path dir) throws Exception {
        CpuFeatures zen4 = cpu(dir, "AMD EPYC 9R14", "fpu sse avx2 avx512f avx512_bf16 avx512_vnni");
        CpuFeatures sapphire = cpu(dir, "Intel(R) Xeon(R) Platinum 8488C", "avx2 avx512f avx512_bf16 amx_bf16 amx_tile amx_int8");
        CpuFeatures old = cpu(dir, "Intel(R) Xeon(R) CPU E5-2686 v4", "sse4_2 avx avx2 fma");

        assertThat(zen4.hasBf16Units()).isTrue();
        assertThat(zen4.amx()).isFalse();
        assertThat(zen4.describe()).contains("AMD EPYC 9R14").contains("avx512_bf16").contains("AVX-512 BF16: bf16 is fast");
        assertThat(sapphire.amx()).isTrue();
        assertThat(sapphire.describe()).contains("AMX");
        assertThat(old.hasBf16Units()).isFalse();
        assertThat(old.describe()).contains("emulated");

        assertThat(Precision.BF16.slowHere(zen4, false, null)).isEmpty();
        assertThat(Precision.BF16.slowHere(old, false, "1")).get().asString().contains("E5-2686").contains("emulated");
        assertThat(Precision.BF16.slowHere(zen4, false, "0")).get().asString().contains("TF_ENABLE_ONEDNN_OPTS=0");
        assertThat(Precision.BF16.slowHere(old, true, "0")).as("a GPU computes bf16 itself").isEmpty();
        assertThat(Precision.FP32.slowHere(old, false, "0")).isEmpty();
    }

    @Test
    void precisionIsReadInAnyCaseAndWrittenInLowerCase() {
        assertThat(Precision.of("BF16")).isEqualTo(Precision.BF16);
        assertThat(Precision.of("fp32")).isEqualTo(Precision.FP32);
        assertThat(Precision.BF16).hasToString("bf16");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Precision.of("fp16"))
                .hasMessage("precision must be fp32 or bf16, not 'fp16'");
    }

    private static CpuFeatures cpu(Path dir, String model, String flags) throws Exception {
        Path file = Files.createTempFile(dir, "cpuinfo", "");
        Files.writeString(file, "processor\t: 0\nvendor_id\t: x\nmodel name\t: " + model + "\nflags\t\t: " + flags + "\n\n"
                + "processor\t: 1\nmodel name\t: " + model + "\nflags\t\t: " + flags + "\n");
        return CpuFeatures.parse(file);
    }
}
