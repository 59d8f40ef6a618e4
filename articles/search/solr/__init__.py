"""The Solr side of search: Haystack's Solr backend as the archive needs it, and the word files
of the archive's configset (solr/configset/archive/)."""
