package org.glassbox.framework.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A page from records through a template: every inserted value escaped, lists repeated, absent parts left out. */
class HtmlTemplateTest {
    record Note(String text) {
    }

    record Row(String name, boolean wrong, List<String> tags) {
    }

    record Page(String title, List<Row> rows, Note note) {
    }

    private static final HtmlTemplate PAGE = HtmlTemplate.load(HtmlTemplateTest.class, "page.mustache");

    @Test
    void insertedValuesAreEscapedAndListsRepeated() {
        String html = PAGE.render(new Page("Tom & Jerry's <b>", List.of(
                new Row("a \"quoted\" name", true, List.of("x<y", "1")), new Row("plain", false, List.of())),
                new Note("done")));
        assertEquals("<h1>Tom &amp; Jerry&#39;s &lt;b&gt;</h1>\n"
                + "<p class=\"wrong\" title=\"a &quot;quoted&quot; name\">a &quot;quoted&quot; name: <i>x&lt;y</i><i>1</i></p>\n"
                + "<p class=\"right\" title=\"plain\">plain: </p>\n"
                + "<aside>done</aside>\n", html);
    }

    @Test
    void anEmptyListAndANullPartShowTheirAlternatives() {
        assertEquals("<h1>t</h1>\n<p>no rows</p>\n", PAGE.render(new Page("t", List.of(), null)));
    }

    @Test
    void aMissingTemplateIsNamed() {
        var e = assertThrows(IllegalStateException.class, () -> HtmlTemplate.load(HtmlTemplateTest.class, "none.mustache"));
        assertEquals("the template none.mustache is missing beside " + HtmlTemplateTest.class.getName(), e.getMessage());
    }
}
