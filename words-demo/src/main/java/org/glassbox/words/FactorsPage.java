package org.glassbox.words;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.glassbox.framework.render.HtmlTemplate;

/**
 * A self-contained HTML page (no scripts, no external files) listing every factor of a
 * {@link WordFactors} in atom order (most used first): its id, its usage and its top words with
 * their coefficients, after a paragraph stating the fit's data, objective and settings. The
 * template {@code factors.mustache} beside this class lays out the records below.
 *
 * @param source the word vectors' file
 * @param atoms the number of factors
 * @param words the number of word vectors
 * @param dimension their dimension
 * @param lambda the sparsity weight of the fit
 * @param factors one row per factor, in atom order
 */
record FactorsPage(String source, int atoms, int words, int dimension, String lambda, long seed, int epochs,
                   String version, List<Row> factors) {
    /** One factor: its anchor, id, usage and top words. */
    record Row(String anchor, String id, String usage, List<Word> words) {
    }

    /** One top word and its coefficient. */
    record Word(String word, String coefficient) {
    }

    /** The page for {@code model}. */
    static String html(WordFactors model) {
        var spec = model.layer().spec();
        var p = model.provenance();
        List<Row> rows = new ArrayList<>();
        for (Factor f : model.factors()) {
            List<Word> words = new ArrayList<>();
            for (int i = 0; i < f.topWords().size(); i++) {
                words.add(new Word(f.topWords().get(i), String.format(Locale.ROOT, "%.2f", f.topCoefficients().get(i))));
            }
            rows.add(new Row(f.id().replace('/', '-'), f.id(), String.format(Locale.ROOT, "%.4f", f.usage()), words));
        }
        FactorsPage page = new FactorsPage(model.vectors().source(), spec.atoms(), model.vectors().size(),
                model.vectors().dimension(), String.format(Locale.ROOT, "%s", spec.lambda()), p.seed(), spec.epochs(),
                p.glassboxVersion(), rows);
        return HtmlTemplate.load(FactorsPage.class, "factors.mustache").render(page);
    }
}
