package org.glassbox.imagenet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.glassbox.framework.layer.Pipeline;
import org.glassbox.framework.layer.StackDescription;
import org.glassbox.layers.readout.LinearSpec;
import org.glassbox.layers.sparse.SparseCodingSpec;
import org.junit.jupiter.api.Test;

/** docs/stacks/ilsvrc-2012.json is the stack of docs/imagenet.md section 5 and is accepted by {@code --stack}. */
class IlsvrcStackFileTest {
    @Test
    void theDocumentedImagenetStackReads() {
        StackDescription stack = StackDescription.read(Path.of("..", "docs", "stacks", "ilsvrc-2012.json"));
        assertEquals(List.of("L1.patches", "L1.whiten", "L1.code", "L1.embed", "L1.pool", "L2.patches", "L2.whiten",
                "L2.code", "L2.embed", "L2.pool", "L3.patches", "L3.whiten", "L3.code", "L3.pool"),
                stack.stages().stream().map(Pipeline.Stage::id).toList());
        assertEquals(List.of(256, 1024, 4096), stack.stages().stream().filter(s -> s.spec() instanceof SparseCodingSpec)
                .map(s -> ((SparseCodingSpec) s.spec()).atoms()).toList());
        assertEquals(1000, ((LinearSpec) stack.readouts().get(0).spec()).classes());
    }
}
