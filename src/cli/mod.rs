//! CLI (placeholder until written)
