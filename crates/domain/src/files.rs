//! Files from outside whose type matters (evidence, receipts): told from their first bytes,
//! never from the name they were sent with, so a page renamed `.pdf` is not served as one.

/// A kind of file coproduce keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// A PDF document.
    Pdf,
    /// A PNG picture.
    Png,
    /// A JPEG picture (a phone's photo).
    Jpeg,
}

impl FileKind {
    /// What its content starts with.
    const SIGNATURES: [(FileKind, &'static [u8]); 3] = [
        (FileKind::Pdf, b"%PDF-"),
        (FileKind::Png, b"\x89PNG\r\n\x1a\n"),
        (FileKind::Jpeg, b"\xff\xd8\xff"),
    ];

    /// The kind `bytes` are, if they are one of these.
    pub fn of(bytes: &[u8]) -> Option<FileKind> {
        Self::SIGNATURES
            .iter()
            .find(|(_, start)| bytes.starts_with(start))
            .map(|(kind, _)| *kind)
    }

    /// The type it is served as.
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_known_by_its_first_bytes_not_its_name() {
        assert_eq!(FileKind::of(b"%PDF-1.7\n..."), Some(FileKind::Pdf));
        assert_eq!(FileKind::of(b"\x89PNG\r\n\x1a\n\0\0"), Some(FileKind::Png));
        assert_eq!(FileKind::of(b"\xff\xd8\xff\xe0JFIF"), Some(FileKind::Jpeg));
        assert_eq!(FileKind::of(b"<html><script>"), None);
        assert_eq!(FileKind::of(b"%PD"), None, "too short to be one");
        assert_eq!(FileKind::of(b""), None);
        assert_eq!(FileKind::Jpeg.content_type(), "image/jpeg");
    }
}
