package io.github.jglommio.examples;

import org.junit.jupiter.api.Test;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code java} code block of the top-level README compiles as shown against the library: its
 * import lines become the imports of a generated class and the rest the body of a method that may
 * throw, so a snippet that names a missing import, a method that does not exist or a wrong type
 * fails here.
 */
class ReadmeSnippetsTest {

    private static final Path README = Path.of("..", "README.md");

    @Test
    void shouldCompileEveryJavaSnippetOfTheReadme() throws IOException {
        List<String> snippets = javaBlocks(Files.readString(README));
        assertTrue(snippets.size() >= 5, "the README's java blocks: " + snippets.size());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "a JDK, not a JRE, runs the tests");
        List<JavaFileObject> sources = new ArrayList<>();
        for (int i = 0; i < snippets.size(); i++) {
            sources.add(source("Snippet" + i, snippets.get(i)));
        }
        Path out = Files.createTempDirectory("readme-snippets");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            List<String> options = List.of("-proc:none", "-classpath", System.getProperty("java.class.path"),
                    "-d", out.toString());
            boolean ok = javac.getTask(null, files, diagnostics, options, null, sources).call();
            StringBuilder errors = new StringBuilder();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    errors.append(d.getSource() == null ? "?" : d.getSource().getName()).append(':')
                            .append(d.getLineNumber()).append(": ").append(d.getMessage(Locale.ROOT)).append('\n');
                }
            }
            assertTrue(ok && errors.isEmpty(), "README snippets that do not compile:\n" + errors);
        } finally {
            try (var walk = Files.walk(out)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static List<String> javaBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (String line : markdown.split("\n", -1)) {
            if (current == null) {
                if (line.strip().equals("```java")) {
                    current = new StringBuilder();
                }
            } else if (line.strip().equals("```")) {
                blocks.add(current.toString());
                current = null;
            } else {
                current.append(line).append('\n');
            }
        }
        return blocks;
    }

    /** Imports on top; every other line in {@code static void snippet() throws Exception}. */
    private static JavaFileObject source(String name, String snippet) {
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        int bodyLines = 0;
        for (String line : snippet.split("\n", -1)) {
            if (line.startsWith("import ")) {
                imports.append(line).append('\n');
                // Keep the line numbers of the body equal to the snippet's.
                body.append('\n');
            } else {
                body.append(line).append('\n');
                bodyLines++;
            }
        }
        String code = imports.toString().replace('\n', ' ') + "\nclass " + name
                + " { static void snippet() throws Exception {\n" + body + "}}\n";
        assertTrue(bodyLines > 0, name + " is only imports");
        return new SimpleJavaFileObject(URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        };
    }
}
