package io.github.jglommio;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DESIGN.md §2 as a test: only {@code sys} touches FFM linkage; lower layers never import upper
 * ones; only {@code loom} reaches into JDK internals.
 */
class LayeringTest {

    private static final Path SRC = Path.of("src/main/java/io/github/jglommio");

    private static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(SRC)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    private static List<String> violations(Pattern forbidden, java.util.function.Predicate<Path> applies)
            throws IOException {
        List<String> bad = new ArrayList<>();
        for (Path p : sources()) {
            if (!applies.test(p)) {
                continue;
            }
            List<String> lines = Files.readAllLines(p);
            for (int i = 0; i < lines.size(); i++) {
                if (forbidden.matcher(lines.get(i)).find()) {
                    bad.add(SRC.relativize(p) + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        return bad;
    }

    private static boolean in(Path p, String pkg) {
        return SRC.relativize(p).toString().startsWith(pkg + "/");
    }

    @Test
    void shouldFindTheSources() throws IOException {
        assertTrue(sources().size() > 10, "run from the core module directory");
    }

    @Test
    void shouldKeepFfmLinkageInsideSys() throws IOException {
        Pattern ffm = Pattern.compile("import java\\.lang\\.foreign\\.(Linker|SymbolLookup|FunctionDescriptor)");
        assertEquals(List.of(), violations(ffm, p -> !in(p, "sys")));
    }

    @Test
    void shouldKeepSysFreeOfUpperLayers() throws IOException {
        Pattern upper = Pattern.compile("import (static )?io\\.github\\.jglommio\\.(?!sys\\.)");
        assertEquals(List.of(), violations(upper, p -> in(p, "sys")));
    }

    @Test
    void shouldKeepReactorFreeOfThePublicApi() throws IOException {
        Pattern upper = Pattern.compile("import (static )?io\\.github\\.jglommio\\.(?!sys\\.|reactor\\.|loom\\.)");
        assertEquals(List.of(), violations(upper, p -> in(p, "reactor")));
    }

    @Test
    void shouldUseNoUnsafeNorPrintStackTrace() throws IOException {
        assertEquals(List.of(), violations(Pattern.compile("sun\\.misc\\.Unsafe|printStackTrace\\(\\)"), p -> true));
    }

    @Test
    void shouldReachJdkInternalsOnlyFromLoom() throws IOException {
        Pattern internals = Pattern.compile("privateLookupIn|ThreadBuilders|currentCarrierThread\"");
        assertEquals(List.of(), violations(internals, p -> !in(p, "loom")));
    }
}
