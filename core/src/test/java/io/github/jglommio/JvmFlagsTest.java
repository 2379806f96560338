package io.github.jglommio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starts child JVMs without jglommio's flags and checks the error names exactly what is missing. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JvmFlagsTest {

    /** Child entry point: tries to run an executor and prints the error message. */
    public static final class Child {
        public static void main(String[] args) {
            try {
                System.out.println("result=" + LocalExecutor.create().run(() -> 1));
            } catch (IllegalStateException e) {
                System.out.println("error=" + e.getMessage());
            }
        }
    }

    private static String runChild(String... flags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(flags));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Child.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void shouldNameBothFlagsWhenNoneIsGiven() throws Exception {
        String out = runChild();
        assertTrue(out.contains("error=jglommio needs these JVM flags: --add-opens java.base/java.lang=ALL-UNNAMED "
                + "--enable-native-access=ALL-UNNAMED"), out);
    }

    @Test
    void shouldNameOnlyTheMissingFlag() throws Exception {
        String out = runChild("--enable-native-access=ALL-UNNAMED");
        assertTrue(out.contains("error=jglommio needs these JVM flags: --add-opens java.base/java.lang=ALL-UNNAMED ("), out);
        String out2 = runChild("--add-opens", "java.base/java.lang=ALL-UNNAMED");
        assertTrue(out2.contains("error=jglommio needs these JVM flags: --enable-native-access=ALL-UNNAMED ("), out2);
    }

    @Test
    void shouldRunWithBothFlags() throws Exception {
        String out = runChild("--add-opens", "java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED");
        assertEquals("result=1", out.strip());
    }
}
