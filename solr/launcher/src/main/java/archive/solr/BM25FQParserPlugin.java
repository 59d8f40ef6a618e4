package archive.solr;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.search.ExtendedDismaxQParser;
import org.apache.solr.search.ExtendedDismaxQParserPlugin;
import org.apache.solr.search.QParser;
import org.apache.solr.search.SyntaxError;

/**
 * Solr's edismax parser, with a word looked for in several fields (`qf`) scored once over all of
 * them as BM25F ({@link BM25FQuery}), as the archive's embedded engine scores it, instead of
 * edismax's best field, each field's BM25 with its own rarity: a title word was weighed by how
 * rare it is among titles. Everything else (phrases, prefixes, wildcards, fuzzy words, a word
 * the analysis splits, a word in one field) is edismax's own.
 */
public class BM25FQParserPlugin extends ExtendedDismaxQParserPlugin {

  @Override
  public QParser createParser(
      String qstr, SolrParams localParams, SolrParams params, SolrQueryRequest req) {
    return new ExtendedDismaxQParser(qstr, localParams, params, req) {
      @Override
      protected ExtendedSolrQueryParser createEdismaxQueryParser(QParser qParser, String field) {
        return new FieldsParser(qParser, field);
      }
    };
  }

  static final class FieldsParser extends ExtendedDismaxQParser.ExtendedSolrQueryParser {

    FieldsParser(QParser parser, String defaultField) {
      super(parser, defaultField);
    }

    /** A word split on whitespace (`sow=true`). */
    @Override
    protected Query getAliasedQuery() throws SyntaxError {
      return overFields(super.getAliasedQuery());
    }

    /** Words not split on whitespace (`sow=false`): each word's disjunction in turn. */
    @Override
    protected Query getAliasedMultiTermQuery() throws SyntaxError {
      Query query = super.getAliasedMultiTermQuery();
      if (!(query instanceof BooleanQuery bool)) {
        return overFields(query);
      }
      BooleanQuery.Builder builder =
          new BooleanQuery.Builder().setMinimumNumberShouldMatch(bool.getMinimumNumberShouldMatch());
      for (BooleanClause clause : bool.clauses()) {
        builder.add(overFields(clause.getQuery()), clause.getOccur());
      }
      return builder.build();
    }
  }

  /**
   * One term looked for in several fields (edismax's disjunction of a term query per field, each
   * boosted by its field's weight) as a BM25FQuery; any other query as it is.
   */
  static Query overFields(Query query) {
    if (!(query instanceof DisjunctionMaxQuery dismax)) {
      return query;
    }
    BytesRef bytes = null;
    Map<String, Float> weights = new LinkedHashMap<>();
    for (Query disjunct : dismax.getDisjuncts()) {
      float weight = 1f;
      Query inner = disjunct;
      if (inner instanceof BoostQuery boosted) {
        weight = boosted.getBoost();
        inner = boosted.getQuery();
      }
      if (!(inner instanceof TermQuery term) || weight <= 0f) {
        return query;
      }
      BytesRef text = term.getTerm().bytes();
      if (bytes == null) {
        bytes = text;
      } else if (!bytes.equals(text)) {
        return query;
      }
      if (weights.put(term.getTerm().field(), weight) != null) {
        return query;
      }
    }
    if (weights.size() < 2) {
      return query;
    }
    return new BM25FQuery(bytes, weights);
  }
}
