//! The preview server (`dateline serve`).
