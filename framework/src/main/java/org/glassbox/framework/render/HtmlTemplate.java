package org.glassbox.framework.render;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * An HTML page laid out by a Mustache template (mustache.java) from records computed beforehand:
 * {@code {{name}}} inserts a component of the record in scope, HTML-escaped (the project's one
 * escaper: {@code & < > " '} become entities, safe in element content and quoted attributes);
 * {@code {{#name}}...{{/name}}} repeats its body for every item of a list, or shows it once for a
 * true, non-null or non-empty value; {@code {{^name}}...{{/name}}} shows its body for false, null or
 * an empty list. The template holds no logic and no numbers: what a page shows is decided and
 * formatted in Java, and the template only lays it out.
 */
public final class HtmlTemplate {
    private final Mustache mustache;

    private HtmlTemplate(Mustache mustache) {
        this.mustache = mustache;
    }

    /** The template {@code name}, a resource beside {@code anchor} (for example {@code "report.mustache"}). */
    public static HtmlTemplate load(Class<?> anchor, String name) {
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("the template " + name + " is missing beside " + anchor.getName());
            return new HtmlTemplate(new EscapingFactory().compile(new InputStreamReader(in, StandardCharsets.UTF_8), name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the template " + name, e);
        }
    }

    /** The page for {@code scope}, usually a record. */
    public String render(Object scope) {
        StringWriter out = new StringWriter();
        mustache.execute(out, scope);
        return out.toString();
    }

    /** {@code text} with {@code & < > " '} escaped, safe in element content and in quoted attribute values. */
    private static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }

    /** mustache.java's factory with {@link #escape} as the escaping of {@code {{name}}}. */
    private static final class EscapingFactory extends DefaultMustacheFactory {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(escape(value));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
