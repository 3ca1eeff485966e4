//! Content hashes: how dateline names content by its bytes (asset versions, entry hashes,
//! raw-article provenance), in one place so every hash reads the same way.

use sha2::{Digest, Sha256};

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The first `len` bytes of the SHA-256 of `content`, as hex (`2 * len` characters).
pub fn short_sha256(content: &[u8], len: usize) -> String {
    let digest = Sha256::digest(content);
    hex(&digest[..len.min(digest.len())])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_value_and_length() {
        assert_eq!(short_sha256(b"", 4), "e3b0c442");
        assert_eq!(short_sha256(b"x", 5).len(), 10);
        assert_eq!(short_sha256(b"x", 99).len(), 64);
    }
}
