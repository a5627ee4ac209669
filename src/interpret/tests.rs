//! Interpretation of whole records from the corpus, both styles.
