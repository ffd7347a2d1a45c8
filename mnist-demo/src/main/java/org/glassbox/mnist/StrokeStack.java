package org.glassbox.mnist;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.model.Json;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.layers.patch.PatchSpec;
import org.glassbox.layers.sparse.SparseCodingSpec;
import org.glassbox.layers.whiten.WhiteningSpec;

/**
 * The stages of the stroke-to-digit model (DESIGN.md section 4): layer 1 takes k x k patches of
 * the digit at stride 1, removes each patch's mean and ZCA-whitens it, and sparse-codes it with a
 * learned dictionary whose atoms are pen-stroke pieces.
 *
 * @param patches layer 1's patch geometry
 * @param whitening layer 1's whitening
 * @param strokes layer 1's sparse coding (atom prefix {@code L1})
 */
public record StrokeStack(PatchSpec patches, WhiteningSpec whitening, SparseCodingSpec strokes) {
    /** Stage ids, in order. */
    public static final String L1_PATCHES = "L1.patches";
    public static final String L1_WHITEN = "L1.whiten";
    public static final String L1_CODE = "L1.code";

    /** The default model of {@code ./glassbox mnist}. */
    public static StrokeStack defaults() {
        return new StrokeStack(new PatchSpec(7, 1), WhiteningSpec.defaults(),
                SparseCodingSpec.of("L1", 64, 0.6).withNonNegative(true));
    }

    /** Reads a stack from a JSON file; a missing file, bad JSON or an invalid value names the file. */
    public static StrokeStack read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new GlassboxException(file + ": file not found (expected a JSON stack description)");
        }
        try {
            return Json.MAPPER.readValue(file.toFile(), StrokeStack.class);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new GlassboxException(file + ": " + cause.getMessage());
        } catch (IOException e) {
            String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new GlassboxException(file + ": invalid stack description: " + message.lines().findFirst().orElse(""));
        }
    }

    /** The stages to fit, in order. */
    public List<Pipeline.Stage> stages() {
        return List.of(new Pipeline.Stage(L1_PATCHES, patches), new Pipeline.Stage(L1_WHITEN, whitening),
                new Pipeline.Stage(L1_CODE, strokes));
    }
}
