package org.glassbox.framework.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.glassbox.framework.array.MapShape;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;

/** {@link ImageSet#of}: plain arrays, image after image, row by row, channels innermost. */
class ImageSetOfTest {
    @Test
    void pixelsAreLaidOutImageByImageRowByRowChannelsInnermost() {
        float[] pixels = new float[2 * 2 * 3 * 2];
        for (int i = 0; i < pixels.length; i++) pixels[i] = i / 100f;
        int[] labels = {1, 0};
        ImageSet set = ImageSet.of("arrays", pixels, new MapShape(2, 3, 2), labels, 2);
        labels[0] = 0;
        assertArrayEquals(new long[] {2, 2, 3, 2}, set.images().shape());
        // image 1, row 1, column 2, channel 1: 12 + (1 * 3 + 2) * 2 + 1 = 23
        assertEquals(0.23f, set.images().getFloat(1, 1, 2, 1), 0f);
        assertArrayEquals(new int[] {1, 0}, set.labels(), "the labels are copied");
        assertEquals("arrays: 23 pixels but 2 images of shape [2, 3, 2] need 24",
                assertThrows(GlassboxException.class, () -> ImageSet.of("arrays", new float[23], new MapShape(2, 3, 2),
                        new int[] {0, 1}, 2)).getMessage());
    }
}
