package org.glassbox.layers.inspect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.glassbox.framework.data.ImageSet;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.inspect.MemoizedAtoms;
import org.glassbox.framework.io.AtomicFolder;
import org.glassbox.framework.model.Model;
import org.glassbox.framework.progress.Progress;
import org.glassbox.framework.render.HtmlTemplate;
import org.glassbox.framework.render.Png;

/**
 * The self-contained HTML report of a fitted model: {@code <out>/report/index.html} and its
 * pictures in {@code <out>/report/img/}, with no network access needed. What it shows is measured
 * and formatted by {@link ReportPage} (metrics, atlases, the atom catalog, explanations, ablation)
 * and laid out by the template {@code report.mustache} beside this class. The folder is written to
 * a temporary name and renamed when complete.
 *
 * <p>The page's inline script records, once the page has loaded, how many images loaded and any
 * script or resource errors in the attributes of the element {@code #load-check}
 * ({@code data-state="done"}, {@code data-images}, {@code data-loaded}, {@code data-failed},
 * {@code data-errors}), so a headless browser's DOM dump shows whether the page is whole.
 */
public final class Report {
    /** The report's folder name inside the output folder. */
    public static final String FOLDER = "report";
    /** Top-activating inputs kept per atom. */
    public static final int TOP_INPUTS = 8;
    /** The most bytes of first-layer codes remembered between the report's passes over the test set ({@link MemoizedAtoms}). */
    public static final long MEMO_BYTES = 1L << 30;

    private Report() {
    }

    /**
     * Measures {@code model} on {@code test} and writes {@code outDir/report/}; embeds
     * {@code outDir/metrics.json} when it exists. Returns the report's {@code index.html}.
     */
    public static Path write(Model model, ImageSet test, Path outDir, Progress progress) {
        Path metrics = outDir.resolve("metrics.json");
        String embedded;
        try {
            embedded = Files.isRegularFile(metrics) ? Files.readString(metrics, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            throw new GlassboxException(metrics + ": cannot read: " + e.getMessage(), e);
        }
        ReportPage page = ReportPage.measure(model, test, embedded, progress);
        String html = HtmlTemplate.load(Report.class, "report.mustache").render(page);
        Path dir = outDir.resolve(FOLDER);
        AtomicFolder.write(dir, tmp -> {
            Files.createDirectories(tmp.resolve("img"));
            for (ReportPage.Picture p : page.pictures()) Png.write(tmp.resolve(p.src()), p.pixels());
            Files.writeString(tmp.resolve("index.html"), html, StandardCharsets.UTF_8);
        });
        return dir.resolve("index.html");
    }
}
