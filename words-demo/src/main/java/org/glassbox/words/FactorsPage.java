package org.glassbox.words;

import java.util.List;
import java.util.Locale;

/**
 * A self-contained HTML page (no scripts, no external files) listing every factor of a
 * {@link WordFactors} in atom order (most used first): its id, its usage and its top words with
 * their coefficients, after a paragraph stating the fit's data, objective and settings.
 */
public final class FactorsPage {
    private FactorsPage() {
    }

    /** The page for {@code model}. */
    public static String html(WordFactors model) {
        StringBuilder sb = new StringBuilder(1 << 16);
        var spec = model.layer().spec();
        var p = model.provenance();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>Glassbox word factors: ").append(escape(model.vectors().source())).append("</title>\n")
                .append("<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}\n")
                .append("table{border-collapse:collapse}td,th{padding:.25em .6em;border-bottom:1px solid #ddd;")
                .append("text-align:left;vertical-align:top}th{background:#f4f4f4}\n")
                .append("td.num{text-align:right;font-variant-numeric:tabular-nums}\n")
                .append(".w{display:inline-block;margin:0 .5em .2em 0}.c{color:#888;font-size:.8em}\n")
                .append("</style>\n</head>\n<body>\n")
                .append("<h1>Word factors</h1>\n<p>")
                .append(spec.atoms()).append(" factors learned by sparse coding of ")
                .append(model.vectors().size()).append(" word vectors of dimension ").append(model.vectors().dimension())
                .append(" from <code>").append(escape(model.vectors().source())).append("</code>: each word vector x is ")
                .append("coded as a &ge; 0 minimising &frac12;||x &minus; aD||&sup2; + &lambda;||a||&#8321; with &lambda; = ")
                .append(fmt(spec.lambda())).append(" (non-negative FISTA; Zhang, Chen, Cheung and Olshausen, ")
                .append("&ldquo;Word Embedding Visualization via Dictionary Learning&rdquo;, 2019). ")
                .append("A factor is labelled by the words with the largest coefficients on it; usage is the ")
                .append("fraction of the vocabulary whose code uses it. Seed ").append(p.seed()).append(", ")
                .append(spec.epochs()).append(" epochs, Glassbox ").append(escape(p.glassboxVersion())).append(".</p>\n")
                .append("<table>\n<tr><th>factor</th><th>usage</th><th>top words (coefficient)</th></tr>\n");
        for (Factor f : model.factors()) {
            sb.append("<tr id=\"").append(escape(f.id().replace('/', '-'))).append("\"><td>").append(escape(f.id()))
                    .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%.4f", f.usage()))
                    .append("</td><td>");
            List<String> words = f.topWords();
            for (int i = 0; i < words.size(); i++) {
                sb.append("<span class=\"w\">").append(escape(words.get(i))).append(" <span class=\"c\">")
                        .append(String.format(Locale.ROOT, "%.2f", f.topCoefficients().get(i))).append("</span></span>");
            }
            sb.append("</td></tr>\n");
        }
        sb.append("</table>\n</body>\n</html>\n");
        return sb.toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%s", v);
    }

    /** Escapes the five HTML special characters. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
