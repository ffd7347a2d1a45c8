package org.glassbox.imagenet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.StackDescription;
import org.glassbox.layers.readout.LinearSpec;
import org.glassbox.layers.sparse.SparseCodingSpec;
import org.junit.jupiter.api.Test;

/**
 * docs/stacks/ilsvrc-2012.json is the stack of docs/imagenet.md section 5 and is accepted by
 * {@code --stack}; it and the default stack pass the check before the fit on the crops they are for.
 */
class IlsvrcStackFileTest {
    @Test
    void theDocumentedImagenetStackReads() {
        StackDescription stack = StackDescription.read(Path.of("..", "docs", "stacks", "ilsvrc-2012.json"));
        assertEquals(List.of("L1.patches", "L1.whiten", "L1.code", "L1.embed", "L1.pool"),
                stack.stages().stream().map(Pipeline.Stage::id).toList());
        assertEquals(List.of(4096), stack.stages().stream().filter(s -> s.spec() instanceof SparseCodingSpec)
                .map(s -> ((SparseCodingSpec) s.spec()).atoms()).toList());
        assertEquals(1000, ((LinearSpec) stack.readouts().get(0).spec()).classes());
        assertEquals(new MapShape(2, 2, 512), stack.check("ILSVRC-2012", new MapShape(224, 224, 3), 1_281_167,
                1_281_167, 1000), "the check before the fit passes 224 x 224 crops of the 1,281,167 training images");
    }

    @Test
    void theDefaultStackFitsTheDefaultCropsButNotCropsSmallerThanAPatch() {
        assertEquals(new MapShape(1, 1, 512), ConvStack.defaults(10).check("data", new MapShape(32, 32, 3), 100, 100, 10));
        assertEquals("data: stage \"L1.patches\" (patches): invalid size = 6: expected at most 5, the shorter side of "
                + "the input grid [5, 5, 3]", assertThrows(GlassboxException.class, () -> ConvStack.defaults(10)
                .check("data", new MapShape(5, 5, 3), 100, 100, 10)).getMessage());
    }

    @Test
    void theStacksOfThePhotographTableFitItsCropsAndItsDefaultRowIsTheDefaultStack() throws java.io.IOException {
        Path dir = Path.of("..", "docs", "stacks", "photos");
        List<Path> files;
        try (java.util.stream.Stream<Path> list = java.nio.file.Files.list(dir)) {
            files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertEquals(11, files.size(), files.toString());
        for (Path f : files) {
            StackDescription.read(f).check(f.toString(), new MapShape(32, 32, 3), 1800, 1800, 18);
        }
        assertEquals(StackDescription.read(dir.resolve("smt-512-global.json")).toJson(), ConvStack.defaults(18).toJson());
    }
}
