package org.glassbox.layers.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.io.AtomicFolder;
import org.glassbox.framework.progress.Progress;
import org.glassbox.layers.SmallModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the HTML report in a real headless browser, Debian's chromium: the page loads without
 * script or resource errors, every image loads, and a screenshot shows a non-trivial page. The
 * report and the screenshot are left in {@code target/inspect-report/} for a person to look at.
 * Without chromium the test fails and says how to install it.
 */
class ReportBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path OUT = Path.of("target", "inspect-report").toAbsolutePath();

    @TempDir
    Path tmp;

    static Path index;

    @BeforeAll
    static void writeReport() throws IOException {
        SmallModel m = SmallModel.get();
        ImageSet test = m.split.test().select("first 80", java.util.stream.IntStream.range(0, 80).toArray());
        AtomicFolder.deleteRecursively(OUT);
        Files.createDirectories(OUT);
        Files.writeString(OUT.resolve("metrics.json"), "{\"dataset\": \"small test model\"}\n");
        index = Report.write(m.model, test, OUT, Progress.silent());
    }

    private List<String> chromium(String... extra) {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + tmp.resolve("profile")));
        cmd.addAll(List.of(extra));
        return cmd;
    }

    private static String run(List<String> command, Path log) throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            fail("chromium is not installed: the report test opens the report in a real headless browser; "
                    + "install Debian's chromium with `apt-get install -y chromium` (it provides " + CHROMIUM + ")");
        }
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 180 s: " + command);
        }
        assertEquals(0, p.exitValue(), "chromium exit code; its log: " + Files.readString(log));
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void everyImageLoadsWithoutErrors() throws Exception {
        String dom = run(chromium("--virtual-time-budget=20000", "--dump-dom", index.toUri().toString()), tmp.resolve("dom.log"));
        Matcher m = Pattern.compile("<p id=\"load-check\"([^>]*)>").matcher(dom);
        assertTrue(m.find(), "the page's load check element is in the DOM");
        String attributes = m.group(1);
        assertEquals("done", attribute(attributes, "data-state"), "the load handler ran: " + attributes);
        assertEquals("0", attribute(attributes, "data-errors"), attributes);
        assertEquals("", attribute(attributes, "data-failed"), attributes);
        int images = Integer.parseInt(attribute(attributes, "data-images"));
        long files;
        try (var list = Files.list(index.getParent().resolve("img"))) {
            files = list.count();
        }
        assertTrue(images >= files && files > 30, images + " images in the page, " + files + " files");
        assertEquals(String.valueOf(images), attribute(attributes, "data-loaded"));
        for (String section : List.of("metrics", "atlases", "catalog", "explanations", "ablation")) {
            assertTrue(dom.contains("<section id=\"" + section + "\">"), section);
        }
        assertTrue(dom.contains("(wrong)"), "a wrong prediction is explained");
        assertTrue(dom.contains("(correct)"), "a correct prediction is explained");
        Set<String> ids = new HashSet<>();
        Matcher id = Pattern.compile(" id=\"([^\"]+)\"").matcher(dom);
        while (id.find()) ids.add(id.group(1));
        Matcher link = Pattern.compile("href=\"#([^\"]+)\"").matcher(dom);
        int links = 0;
        while (link.find()) {
            assertTrue(ids.contains(link.group(1)), "the link to #" + link.group(1) + " has its target");
            links++;
        }
        assertTrue(links > 10, links + " in-page links");
    }

    @Test
    void screenshotIsNonTrivial() throws Exception {
        Path shot = OUT.resolve("screenshot.png");
        run(chromium("--hide-scrollbars", "--window-size=1280,2400", "--virtual-time-budget=20000",
                "--screenshot=" + shot, index.toUri().toString()), tmp.resolve("shot.log"));
        BufferedImage picture = ImageIO.read(new File(shot.toString()));
        assertEquals(1280, picture.getWidth());
        assertEquals(2400, picture.getHeight());
        Set<Integer> colours = new HashSet<>();
        long white = 0;
        for (int y = 0; y < picture.getHeight(); y += 2) {
            for (int x = 0; x < picture.getWidth(); x += 2) {
                int rgb = picture.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb == 0xffffff) white++;
            }
        }
        long samples = (long) (picture.getWidth() / 2) * (picture.getHeight() / 2);
        assertTrue(colours.size() > 100, colours.size() + " colours");
        assertTrue(white < samples * 0.97, "the page is not blank: " + white + " of " + samples + " samples white");
    }

    private static String attribute(String attributes, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(attributes);
        assertTrue(m.find(), name + " in " + attributes);
        return m.group(1);
    }
}
