package org.glassbox.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import jdk.jshell.tool.JavaShellToolBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/api.md is true: its Java block compiles against the library and runs, printing what the
 * page says, and its jshell session, run on the model the example saved, gives the same accuracy.
 */
class ApiExampleTest {
    private static final Path PAGE = Path.of("..", "docs", "api.md");

    @TempDir
    Path tmp;

    @Test
    void theExampleCompilesRunsAndItsSessionAgrees() throws Exception {
        String page = Files.readString(PAGE);
        String source = block(page, "```java\n");
        Matcher name = Pattern.compile("public class (\\w+)").matcher(source);
        assertTrue(name.find(), "the example declares a public class");
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        Files.writeString(src.resolve(name.group(1) + ".java"), source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, null, diagnostics, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                src.resolve(name.group(1) + ".java").toString());
        assertEquals(0, rc, diagnostics.toString(StandardCharsets.UTF_8));

        Path folder = tmp.resolve("first-model");
        String printed;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Method main = loader.loadClass(name.group(1)).getMethod("main", String[].class);
            printed = capture(() -> main.invoke(null, (Object) new String[] {folder.toString()}));
        }
        double linear = number(printed, "accuracy (\\S+) \\(linear\\), (\\S+) \\(knn\\)", 1);
        assertTrue(linear > 0.97, printed);
        assertTrue(number(printed, "accuracy (\\S+) \\(linear\\), (\\S+) \\(knn\\)", 2) > 0.9, printed);
        assertEquals(linear, number(printed, "without \\S+: accuracy (\\S+) -> (\\S+)", 1), 0.0, printed);
        assertTrue(printed.contains("atoms of L1.code: 256, pictures [256, 6, 6, 1]"), printed);
        assertEquals(linear, number(printed, "reloaded from \\S+: accuracy (\\S+)", 1), 0.0, printed);
        assertTrue(printed.matches("(?s).*strongest atom for class \\d: L1/a\\d+ \\(\\+.*"), printed);

        List<String> session = new ArrayList<>();
        for (String line : block(page, "## jshell").lines().toList()) {
            if (line.startsWith("jshell> ")) session.add(line.substring(8).replace("\"first-model\"", "\"" + folder + "\""));
        }
        session.add("/exit");
        String shell = jshell(String.join("\n", session) + "\n");
        List<String> values = new ArrayList<>();
        Matcher value = Pattern.compile("\\$\\d+ ==> (\\S+)").matcher(shell);
        while (value.find()) values.add(value.group(1));
        assertEquals(List.of(String.format("%.4f", linear), "true", "256"),
                List.of(String.format("%.4f", Double.parseDouble(values.get(0))), values.get(1), values.get(2)), shell);
        // what the page shows: the same values, accuracies to within 0.005 (another CPU's float rounding)
        List<String> shown = block(page, "## jshell").lines().filter(l -> l.matches("\\$\\d+ ==> .*"))
                .map(l -> l.substring(l.indexOf("==> ") + 4)).toList();
        assertEquals(values.size(), shown.size(), shell);
        for (int i = 0; i < shown.size(); i++) {
            if (shown.get(i).contains(".")) {
                assertEquals(Double.parseDouble(shown.get(i)), Double.parseDouble(values.get(i)), 0.005, shell);
            } else {
                assertEquals(shown.get(i), values.get(i), shell);
            }
        }
    }

    /** The text after {@code start} up to the next fence. */
    private static String block(String page, String start) {
        int from = page.indexOf(start);
        assertTrue(from >= 0, "docs/api.md has " + start.strip());
        from = page.indexOf('\n', page.indexOf("```", from + (start.startsWith("```") ? 0 : start.length()))) + 1;
        return page.substring(from, page.indexOf("```", from));
    }

    private static double number(String text, String regex, int group) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "printed " + regex + ":\n" + text);
        return Double.parseDouble(m.group(group));
    }

    @FunctionalInterface
    private interface Run {
        void run() throws Exception;
    }

    /** What {@code run} prints on standard output. */
    private static String capture(Run run) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            run.run();
        } finally {
            System.setOut(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** jshell's output for {@code input}, its snippets run in this JVM on this test's class path. */
    private static String jshell(String input) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        JavaShellToolBuilder.builder().in(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), null)
                .out(print).err(print).interactiveTerminal(false)
                .run("--class-path", System.getProperty("java.class.path"), "--execution", "local", "-q");
        return out.toString(StandardCharsets.UTF_8);
    }
}
