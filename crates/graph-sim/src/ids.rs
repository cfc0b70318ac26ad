//! Graph-looking opaque identifiers.
//!
//! Messages have two forms, as in Exchange: the default id changes when a message moves
//! between folders, the immutable id (asked for with `Prefer: IdType="ImmutableId"`) does not.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::Rng;

const CORE_LEN: usize = 22;

/// A random 22-character core, the stable part of every id.
pub(crate) fn core(rng: &mut impl Rng) -> String {
    let bytes: [u8; 16] = rng.random();
    URL_SAFE_NO_PAD.encode(bytes)
}

pub(crate) fn folder_id(core: &str) -> String {
    format!("AQMkAD{core}AAA=")
}
pub(crate) fn event_id(core: &str) -> String {
    format!("AAMkAE{core}AAA=")
}
pub(crate) fn contact_id(core: &str) -> String {
    format!("AAMkAC{core}AAA=")
}
pub(crate) fn contact_folder_id(core: &str) -> String {
    format!("AQMkAC{core}AAA=")
}
pub(crate) fn attachment_id(core: &str) -> String {
    format!("AAMkAA{core}AAA=")
}
pub(crate) fn conversation_id(core: &str) -> String {
    format!("AAQkAD{core}")
}

/// The immutable id of a message.
pub(crate) fn message_immutable(core: &str) -> String {
    format!("AAkALg{core}")
}

/// The default (move-sensitive) id of a message.
pub(crate) fn message_regular(core: &str, moves: u32) -> String {
    format!("AAMkAG{core}AAm{moves}")
}

/// A message id as a client sent it: its core, and the move count for a default id.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum MessageIdRef<'a> {
    Immutable(&'a str),
    Regular(&'a str, u32),
}

pub(crate) fn parse_message_id(id: &str) -> Option<MessageIdRef<'_>> {
    if let Some(rest) = id.strip_prefix("AAkALg") {
        return (rest.len() == CORE_LEN).then_some(MessageIdRef::Immutable(rest));
    }
    let rest = id.strip_prefix("AAMkAG")?;
    if rest.len() <= CORE_LEN {
        return None;
    }
    let (core, tail) = rest.split_at(CORE_LEN);
    let moves = tail.strip_prefix("AAm")?.parse().ok()?;
    Some(MessageIdRef::Regular(core, moves))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn both_message_id_forms_parse_back_to_their_core() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let c = core(&mut rng);
        assert_eq!(parse_message_id(&message_immutable(&c)), Some(MessageIdRef::Immutable(c.as_str())));
        assert_eq!(parse_message_id(&message_regular(&c, 3)), Some(MessageIdRef::Regular(c.as_str(), 3)));
        assert_eq!(parse_message_id("AAMkAGnonsense"), None);
    }
}
