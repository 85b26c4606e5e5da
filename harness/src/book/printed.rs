//! What a program printed, as text for a message or a diff. A program may
//! print bytes that are not UTF-8 (a course shows `String::from_utf8` and
//! its errors): those are written `\xNN`, never replaced by `�`, so the
//! author sees which bytes came.

/// The bytes as text: as they are when they are UTF-8, else [`escaped`].
pub fn as_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => escaped(bytes),
    }
}

/// The bytes as text, every byte that is not part of a UTF-8 character
/// written `\xNN` and every backslash `\\`, so two byte strings are equal
/// exactly when their escaped forms are.
pub fn escaped(bytes: &[u8]) -> String {
    let mut text = String::new();
    for chunk in bytes.utf8_chunks() {
        text.push_str(&chunk.valid().replace('\\', "\\\\"));
        for byte in chunk.invalid() {
            text.push_str(&format!("\\x{byte:02x}"));
        }
    }
    text
}

/// Where `bytes` first stops being UTF-8, as "line N, byte \xNN".
pub fn first_not_utf8(bytes: &[u8]) -> Option<String> {
    let error = std::str::from_utf8(bytes).err()?;
    let at = error.valid_up_to();
    let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
    Some(format!("line {line}, byte \\x{:02x}", bytes[at]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_that_are_not_utf8_are_escaped_and_the_rest_kept() {
        assert_eq!(as_text(b"caf\xc3\xa9\n"), "café\n");
        assert_eq!(as_text(b"caf\xe9 \\n\n"), "caf\\xe9 \\\\n\n");
        assert_ne!(escaped(b"\xff"), escaped(b"\\xff"));
        assert_eq!(
            first_not_utf8(b"one\ntwo \xff\n").as_deref(),
            Some("line 2, byte \\xff")
        );
        assert_eq!(first_not_utf8(b"fine\n"), None);
    }
}
