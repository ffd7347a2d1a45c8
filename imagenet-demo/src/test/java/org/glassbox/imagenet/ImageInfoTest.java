package org.glassbox.imagenet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;

/** The image info a model records: its entries read back, and what is refused. */
class ImageInfoTest {
    private static final Path MANIFEST = Path.of("model/manifest.json");

    @Test
    void entriesReadBackToTheSameInfo() {
        ImageInfo info = new ImageInfo(List.of("n01440764", "n01443537"), 256, 224, 0.2, Path.of("/data/val.txt"));
        Map<String, String> entries = info.entries();
        assertEquals(Map.of("class_names", "n01440764,n01443537", "resize", "256", "crop", "224", "test_fraction", "0.2",
                "val_labels", "/data/val.txt"), entries);
        assertEquals(info, ImageInfo.of(entries, MANIFEST).orElseThrow());
        assertEquals(new Preprocess(256, 224, 224, Preprocess.Crop.CENTRE), info.testCrop());
        assertEquals(new MapShape(224, 224, 3), info.testCrop().shape());
        ImageInfo noLabels = new ImageInfo(List.of("a", "b"), 36, 32, 0.25, null);
        assertEquals(noLabels, ImageInfo.of(noLabels.entries(), MANIFEST).orElseThrow());
    }

    @Test
    void aModelWithoutItHasNoneAndIncompleteEntriesAreRefused() {
        assertTrue(ImageInfo.of(Map.of("classes", "10", "data", "embedded"), MANIFEST).isEmpty());
        Map<String, String> entries = new HashMap<>(new ImageInfo(List.of("a", "b"), 36, 32, 0.2, null).entries());
        entries.remove("crop");
        GlassboxException e = assertThrows(GlassboxException.class, () -> ImageInfo.of(entries, MANIFEST));
        assertEquals(MANIFEST + ": info \"resize\" without \"crop\" (expected the entries class_names, resize, crop, "
                + "test_fraction that ./glassbox imagenet writes)", e.getMessage());
        entries.put("crop", "thirty-two");
        e = assertThrows(GlassboxException.class, () -> ImageInfo.of(entries, MANIFEST));
        assertEquals(MANIFEST + ": info \"resize\", \"crop\" or \"test_fraction\" is not a number (For input string: "
                + "\"thirty-two\")", e.getMessage());
    }
}
