//! Finding a structure's member by the name a document gives it, for every decoder.
//!
//! Decoders meet member names as keys (JSON, CBOR) or element names (XML) and must map each
//! to a member index quickly: DynamoDB and EC2 responses hold millions of them. A
//! [`NameTable`] is built once per schema and kind of name and kept for the life of the
//! process ([`index`]); schemas are `'static`, so their addresses identify them.

use crate::schema::{Location, Member, MemberFlags, Schema};
use std::cell::Cell;
use std::collections::HashMap;
use std::sync::{OnceLock, RwLock};

/// Member indexes by name, with open addressing over a hash of the name.
pub(crate) struct NameTable {
    /// Names and member indexes; where two members claim a name, the first.
    names: Vec<Name>,
    /// `slots.len()` is a power of two at least twice the name count, each slot an index
    /// into `names` plus one (zero is empty).
    slots: Vec<u32>,
}

/// A name of a [`NameTable`], with the words [`Words::of`] reads from it.
struct Name {
    words: Words,
    bytes: &'static [u8],
    index: usize,
}

/// A name's length and its first and last eight bytes (four for names shorter than eight,
/// the first, middle and last one for names shorter than four), read in constant time.
/// They cover every byte of a name up to 16 bytes long, so for such names equal words mean
/// equal names; longer names must be compared whole.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Words {
    len: usize,
    head: u64,
    tail: u64,
}

/// The longest name whose [`Words`] cover all of it.
const COVERED: usize = 16;

impl Words {
    /// The bytes are read straight from the name, never copied into a buffer first: a
    /// decoder looks up a name for nearly every value it reads, and reading a word back
    /// right after storing its bytes one by one stalls the processor.
    fn of(name: &[u8]) -> Self {
        let (head, tail) = if let Some(head) = name.first_chunk::<8>()
            && let Some(tail) = name.last_chunk::<8>()
        {
            (u64::from_le_bytes(*head), u64::from_le_bytes(*tail))
        } else if let Some(head) = name.first_chunk::<4>()
            && let Some(tail) = name.last_chunk::<4>()
        {
            (
                u64::from(u32::from_le_bytes(*head)),
                u64::from(u32::from_le_bytes(*tail)),
            )
        } else {
            match *name {
                [] => (0, 0),
                [first, ..] => (
                    u64::from(first) | u64::from(name[name.len() / 2]) << 8,
                    u64::from(name[name.len() - 1]),
                ),
            }
        };
        Words {
            len: name.len(),
            head,
            tail,
        }
    }

    /// Names within one structure nearly always differ in their words, and a collision
    /// only costs a comparison.
    fn hash(self) -> usize {
        let hash = (self.head ^ self.tail.rotate_left(29) ^ self.len as u64)
            .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        // The high bits are the best mixed.
        (hash >> 32) as usize
    }
}

impl NameTable {
    /// A table of `(name, member index)` pairs; a repeated name keeps its first index.
    pub(crate) fn new(pairs: impl IntoIterator<Item = (&'static str, usize)>) -> Self {
        let mut names: Vec<Name> = Vec::new();
        for (name, index) in pairs {
            let bytes = name.as_bytes();
            if !names.iter().any(|known| known.bytes == bytes) {
                names.push(Name {
                    words: Words::of(bytes),
                    bytes,
                    index,
                });
            }
        }
        let size = (names.len() * 2).next_power_of_two().max(4);
        let mut slots = vec![0u32; size];
        for (position, name) in names.iter().enumerate() {
            let mut slot = name.words.hash() & (size - 1);
            while slots[slot] != 0 {
                slot = (slot + 1) & (size - 1);
            }
            // A structure has at most a few thousand members; a schema beyond u32 could not
            // exist in memory.
            slots[slot] = u32::try_from(position + 1).unwrap_or(u32::MAX);
        }
        NameTable { names, slots }
    }

    /// The member index under `name`.
    pub(crate) fn find(&self, name: &[u8]) -> Option<usize> {
        let words = Words::of(name);
        let mask = self.slots.len() - 1;
        let mut slot = words.hash() & mask;
        loop {
            let position = usize::try_from(self.slots[slot]).ok()?.checked_sub(1)?;
            let known = self.names.get(position)?;
            if known.words == words && (name.len() <= COVERED || known.bytes == name) {
                return Some(known.index);
            }
            slot = (slot + 1) & mask;
        }
    }
}

/// The name tables of one schema, each built on first use.
#[derive(Default)]
pub(crate) struct SchemaIndex {
    xml: OnceLock<XmlLayout>,
    wire: OnceLock<NameTable>,
    plain: OnceLock<NameTable>,
}

/// How the XML decoder finds a structure's members.
pub(crate) struct XmlLayout {
    /// Child elements by name.
    pub elements: NameTable,
    /// Indexes of `xmlAttribute` members.
    pub attributes: Vec<usize>,
}

impl SchemaIndex {
    /// Elements and attributes of `schema` as the XML decoder reads them; `element_name`
    /// is the XML rule for a member's element.
    pub(crate) fn xml(
        &self,
        schema: &Schema,
        element_name: fn(&Member) -> &'static str,
    ) -> &XmlLayout {
        self.xml.get_or_init(|| {
            let mut attributes = Vec::new();
            let mut elements = Vec::new();
            for (index, member) in schema.members().iter().enumerate() {
                if member.has(MemberFlags::XML_ATTRIBUTE) {
                    attributes.push(index);
                } else if matches!(
                    member.location,
                    Location::Body | Location::QueryString | Location::Uri
                ) {
                    elements.push((element_name(member), index));
                }
            }
            XmlLayout {
                elements: NameTable::new(elements),
                attributes,
            }
        })
    }

    /// Body members of `schema` by wire name (`locationName`, else the member name), as
    /// JSON documents key them.
    pub(crate) fn wire(&self, schema: &Schema) -> &NameTable {
        self.wire.get_or_init(|| {
            NameTable::new(
                schema
                    .members()
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| m.location == Location::Body)
                    .map(|(i, m)| (m.wire_name(), i)),
            )
        })
    }

    /// Members of `schema` by their model name, as smithy-rpc-v2-cbor keys them.
    pub(crate) fn plain(&self, schema: &Schema) -> &NameTable {
        self.plain.get_or_init(|| {
            NameTable::new(
                schema
                    .members()
                    .iter()
                    .enumerate()
                    .map(|(i, m)| (m.name, i)),
            )
        })
    }
}

/// The name tables of `schema`, built on first use and kept for the life of the process.
///
/// Each thread remembers recently used schemas in a small table indexed by address, so the
/// shared map (and its lock) is only consulted the first time a thread meets a schema or
/// when two schemas collide in the table.
pub(crate) fn index(schema: &'static Schema) -> &'static SchemaIndex {
    const RECENT: usize = 256;
    thread_local! {
        static RECENT_INDEXES: [Cell<Option<(usize, &'static SchemaIndex)>>; RECENT] =
            const { [const { Cell::new(None) }; RECENT] };
    }
    let key = schema as *const Schema as usize;
    // Schemas are at least 8-byte aligned and a few dozen bytes long.
    let slot = (key >> 4) % RECENT;
    let recent = RECENT_INDEXES.with(|recent| match recent[slot].get() {
        Some((known, index)) if known == key => Some(index),
        _ => None,
    });
    if let Some(index) = recent {
        return index;
    }
    let index = shared_index(key);
    RECENT_INDEXES.with(|recent| recent[slot].set(Some((key, index))));
    index
}

fn shared_index(key: usize) -> &'static SchemaIndex {
    static INDEXES: OnceLock<RwLock<HashMap<usize, &'static SchemaIndex>>> = OnceLock::new();
    let indexes = INDEXES.get_or_init(Default::default);
    if let Ok(known) = indexes.read()
        && let Some(index) = known.get(&key)
    {
        return index;
    }
    let mut known = match indexes.write() {
        Ok(known) => known,
        // A panic elsewhere while holding the lock leaves the map itself intact.
        Err(poisoned) => poisoned.into_inner(),
    };
    known
        .entry(key)
        .or_insert_with(|| Box::leak(Box::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_name_of_a_wide_table_and_no_other() {
        let names: Vec<&'static str> = (0..300)
            .map(|i| &*Box::leak(format!("Member{i}").into_boxed_str()))
            .collect();
        let table = NameTable::new(names.iter().enumerate().map(|(i, n)| (*n, i)));
        for (i, name) in names.iter().enumerate() {
            assert_eq!(table.find(name.as_bytes()), Some(i), "{name}");
        }
        assert_eq!(table.find(b"Member300"), None);
        assert_eq!(table.find(b""), None);
    }

    #[test]
    fn names_that_differ_in_any_byte_are_told_apart() {
        // Lengths 1 to 20 cover every way `Words` reads a name; beyond 16 bytes the ninth
        // byte is in neither word.
        let mut names: Vec<&'static str> = Vec::new();
        for len in 1..=20 {
            for position in 0..len {
                let mut name = vec![b'a'; len];
                name[position] = b'b';
                let name = String::from_utf8(name).expect("ASCII");
                names.push(Box::leak(name.into_boxed_str()));
            }
        }
        let table = NameTable::new(names.iter().enumerate().map(|(i, n)| (*n, i)));
        for (i, name) in names.iter().enumerate() {
            assert_eq!(table.find(name.as_bytes()), Some(i), "{name}");
        }
        for len in 1..=20 {
            assert_eq!(table.find("a".repeat(len).as_bytes()), None);
        }
    }

    #[test]
    fn a_repeated_name_keeps_its_first_member() {
        let table = NameTable::new([("a", 0), ("b", 1), ("a", 2)]);
        assert_eq!(table.find(b"a"), Some(0));
        assert_eq!(table.find(b"b"), Some(1));
    }
}
