package archive.solr;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermState;
import org.apache.lucene.index.TermStates;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.CollectionStatistics;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Matches;
import org.apache.lucene.search.MatchesUtils;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermStatistics;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.SmallFloat;

/**
 * One word over several fields, scored as BM25F (Robertson, Zaragoza and Taylor, 2004), as the
 * archive's embedded engine scores it: each field's occurrences, divided by that field's length
 * normalisation {@code (1 - b) + b * length / average length} and weighed, add up to one frequency
 * that saturates once, with the word's rarity over the documents holding it. The documents
 * holding the word in any field are counted as those of the field where it is most common, a
 * lower bound that Lucene's statistics allow. (Lucene's CombinedFieldQuery, in lucene-sandbox,
 * divides by the fields' lengths added up, so a title word is weighed by the body's length, and
 * wants weights of at least 1; measured on the judged queries, it ranked further from the
 * embedded engine.)
 */
final class BM25FQuery extends Query {

  private static final float K1 = 1.2f;
  private static final float B = 0.75f;

  private final BytesRef text;
  private final Map<String, Float> weights;

  BM25FQuery(BytesRef text, Map<String, Float> weights) {
    this.text = BytesRef.deepCopyOf(text);
    this.weights = new LinkedHashMap<>(weights);
  }

  @Override
  public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost)
      throws IOException {
    int n = weights.size();
    String[] fields = weights.keySet().toArray(new String[0]);
    float[] fieldWeights = new float[n];
    float[] averages = new float[n];
    TermStates[] states = new TermStates[n];
    long documents = 0;
    long holding = 0;
    for (int i = 0; i < n; i++) {
      fieldWeights[i] = weights.get(fields[i]);
      Term term = new Term(fields[i], text);
      states[i] = TermStates.build(searcher, term, scoreMode.needsScores());
      CollectionStatistics collection = searcher.collectionStatistics(fields[i]);
      if (collection == null) {
        averages[i] = 1f;
        continue;
      }
      documents = Math.max(documents, collection.maxDoc());
      averages[i] = (float) collection.sumTotalTermFreq() / collection.maxDoc();
      if (scoreMode.needsScores() && states[i].docFreq() > 0) {
        // Over the whole collection when Solr's statistics cache answers for every shard.
        TermStatistics statistics =
            searcher.termStatistics(term, states[i].docFreq(), states[i].totalTermFreq());
        holding = Math.max(holding, statistics.docFreq());
      }
    }
    long counted = documents;
    holding = Math.max(1, Math.min(holding, documents));
    float idf = (float) Math.log(1 + (documents - holding + 0.5) / (holding + 0.5));
    float most = boost * idf * (K1 + 1);
    return new Weight(this) {
      @Override
      public boolean isCacheable(LeafReaderContext context) {
        return true;
      }

      /** Where the word is in each field, as a term query finds it (for highlights). */
      @Override
      public Matches matches(LeafReaderContext context, int doc) throws IOException {
        List<Matches> found = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          Query term = new TermQuery(new Term(fields[i], text), states[i]);
          Matches matches =
              searcher.createWeight(term, ScoreMode.COMPLETE_NO_SCORES, 1f).matches(context, doc);
          if (matches != null) {
            found.add(matches);
          }
        }
        return MatchesUtils.fromSubMatches(found);
      }

      @Override
      public Explanation explain(LeafReaderContext context, int doc) throws IOException {
        Scorer scorer = scorer(context);
        if (scorer != null && scorer.iterator().advance(doc) == doc) {
          return Explanation.match(
              scorer.score(), "BM25F of " + BM25FQuery.this + ", idf " + idf + " over " + counted);
        }
        return Explanation.noMatch("no field holds " + text.utf8ToString());
      }

      @Override
      public Scorer scorer(LeafReaderContext context) throws IOException {
        List<PostingsEnum> postings = new ArrayList<>();
        List<NumericDocValues> norms = new ArrayList<>();
        List<Float> found = new ArrayList<>();
        List<Float> average = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          TermState state = states[i].get(context);
          if (state == null) {
            continue;
          }
          TermsEnum terms = context.reader().terms(fields[i]).iterator();
          terms.seekExact(text, state);
          postings.add(terms.postings(null, PostingsEnum.FREQS));
          norms.add(context.reader().getNormValues(fields[i]));
          found.add(fieldWeights[i]);
          average.add(averages[i]);
        }
        if (postings.isEmpty()) {
          return null;
        }
        return new FieldsScorer(this, postings, norms, found, average, boost * idf, most);
      }
    };
  }

  /** The documents holding the word in any of the fields, each scored over all of them. */
  private static final class FieldsScorer extends Scorer {
    private final PostingsEnum[] postings;
    private final NumericDocValues[] norms;
    private final float[] weights;
    private final float[] averages;
    private final float scale;
    private final float most;
    private int doc = -1;

    FieldsScorer(
        Weight weight,
        List<PostingsEnum> postings,
        List<NumericDocValues> norms,
        List<Float> weights,
        List<Float> averages,
        float scale,
        float most) {
      super(weight);
      this.postings = postings.toArray(new PostingsEnum[0]);
      this.norms = norms.toArray(new NumericDocValues[0]);
      this.weights = new float[weights.size()];
      this.averages = new float[averages.size()];
      for (int i = 0; i < this.weights.length; i++) {
        this.weights[i] = weights.get(i);
        this.averages[i] = averages.get(i);
      }
      this.scale = scale;
      this.most = most;
    }

    @Override
    public int docID() {
      return doc;
    }

    @Override
    public float getMaxScore(int upTo) {
      return most;
    }

    @Override
    public float score() throws IOException {
      float frequency = 0f;
      for (int i = 0; i < postings.length; i++) {
        if (postings[i].docID() != doc) {
          continue;
        }
        float length = 1f;
        if (norms[i] != null && norms[i].advanceExact(doc)) {
          length = SmallFloat.byte4ToInt((byte) norms[i].longValue());
        }
        frequency +=
            weights[i] * postings[i].freq() / ((1 - B) + B * length / averages[i]);
      }
      return scale * frequency * (K1 + 1) / (frequency + K1);
    }

    @Override
    public DocIdSetIterator iterator() {
      return new DocIdSetIterator() {
        @Override
        public int docID() {
          return doc;
        }

        @Override
        public int nextDoc() throws IOException {
          return advance(doc + 1);
        }

        @Override
        public int advance(int target) throws IOException {
          int least = NO_MORE_DOCS;
          for (PostingsEnum field : postings) {
            int at = field.docID();
            if (at < target) {
              at = field.advance(target);
            }
            least = Math.min(least, at);
          }
          doc = least;
          return doc;
        }

        @Override
        public long cost() {
          long cost = 0;
          for (PostingsEnum field : postings) {
            cost += field.cost();
          }
          return cost;
        }
      };
    }
  }

  @Override
  public void visit(QueryVisitor visitor) {
    QueryVisitor each = visitor.getSubVisitor(BooleanClause.Occur.SHOULD, this);
    for (String field : weights.keySet()) {
      if (visitor.acceptField(field)) {
        each.consumeTerms(this, new Term(field, text));
      }
    }
  }

  @Override
  public String toString(String field) {
    StringBuilder fields = new StringBuilder();
    weights.forEach(
        (name, weight) ->
            fields.append(fields.length() > 0 ? " " : "").append(name).append('^').append(weight));
    return "BM25F((" + fields + ")" + text.utf8ToString() + ")";
  }

  @Override
  public boolean equals(Object other) {
    return sameClassAs(other)
        && text.equals(((BM25FQuery) other).text)
        && weights.equals(((BM25FQuery) other).weights);
  }

  @Override
  public int hashCode() {
    return Objects.hash(classHash(), text, weights);
  }
}
