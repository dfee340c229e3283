//! I/O errors in plain words, for every layer that tells a person about
//! a file it could not read or write.

/// An I/O error in words, without the OS's "(os error N)" suffix.
pub fn io_words(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => tr!("core.io.not_found"),
        std::io::ErrorKind::PermissionDenied => tr!("core.io.permission_denied"),
        std::io::ErrorKind::IsADirectory => tr!("core.io.is_a_folder"),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            }
        }
    }
}
