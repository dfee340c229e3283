//! Identifiers and credentials in the forms the real services use, made
//! from the operating system's randomness (through UUID v4, which draws on
//! it, so no extra dependency is needed).

use time::OffsetDateTime;

/// `n` random bytes.
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n + 16);
    while out.len() < n {
        out.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
    }
    out.truncate(n);
    out
}

/// `n` characters drawn from `alphabet`.
pub fn random_chars(n: usize, alphabet: &[u8]) -> String {
    // Rejection sampling keeps every character equally likely.
    let limit = 256 - (256 % alphabet.len());
    let mut out = String::with_capacity(n);
    while out.len() < n {
        for b in random_bytes(n) {
            if (b as usize) < limit && out.len() < n {
                out.push(char::from(alphabet[b as usize % alphabet.len()]));
            }
        }
    }
    out
}

pub const UPPER_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
pub const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// An order id like the document's `CS24022811305H1EW`: `CS`, the UTC
/// creation time as `yyMMddHHmm`, and five random letters or digits.
pub fn order_id(now: OffsetDateTime) -> String {
    let t = now.to_offset(time::UtcOffset::UTC);
    format!(
        "CS{:02}{:02}{:02}{:02}{:02}{}",
        t.year() % 100,
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        random_chars(5, UPPER_ALNUM)
    )
}

/// An instance id like the document's `65dea8d23005da564c78d9d2`: 24 hex
/// digits, the first eight being the creation time in Unix seconds.
pub fn instance_id(now: OffsetDateTime) -> String {
    format!(
        "{:08x}{}",
        now.unix_timestamp() as u32,
        hex::encode(random_bytes(8))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn order_ids_look_like_the_documents() {
        let id = order_id(datetime!(2024-02-28 11:30:05 UTC));
        assert_eq!(id.len(), "CS24022811305H1EW".len());
        assert!(id.starts_with("CS2402281130"), "{id}");
        assert!(id[12..].bytes().all(|b| UPPER_ALNUM.contains(&b)), "{id}");
        assert_ne!(id, order_id(datetime!(2024-02-28 11:30:05 UTC)));
    }

    #[test]
    fn instance_ids_are_24_hex_led_by_the_time() {
        let id = instance_id(datetime!(2024-02-28 03:30:26 UTC));
        assert_eq!(id.len(), 24);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
        assert!(id.starts_with("65dea8d2"), "{id}");
    }

    #[test]
    fn ids_pass_the_clients_own_checks() {
        let now = OffsetDateTime::now_utc();
        for _ in 0..100 {
            assert!(crate::api::ids::OrderId::parse(&order_id(now)).is_ok());
            assert!(crate::api::ids::InstanceId::parse(&instance_id(now)).is_ok());
        }
    }

    #[test]
    fn random_chars_use_only_the_alphabet() {
        let s = random_chars(200, b"ab");
        assert_eq!(s.len(), 200);
        assert!(s.contains('a') && s.contains('b'));
        assert!(s.bytes().all(|b| b == b'a' || b == b'b'));
    }
}
