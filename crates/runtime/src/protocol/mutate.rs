//! Bodies for the codecs' never-panic tests: random bytes of XML's alphabet, and valid
//! documents with a few bytes changed, removed or inserted. Deterministic (xorshift), so a
//! failing case can be replayed.

/// Bytes that matter to an XML reader (markup, entities, quotes, a newline, bytes that are
/// not UTF-8 alone).
const ALPHABET: &[u8] = b"<>/=\"'&;!?[]-:aZ0 \n\xff\xc3";

/// `rounds` bodies: every other one random, the others mutations of one of `valid`.
pub(crate) fn bodies(
    seed: u64,
    valid: &[&str],
    rounds: usize,
) -> impl Iterator<Item = Vec<u8>> + use<> {
    let mut rng = Rng(seed);
    let valid: Vec<Vec<u8>> = valid.iter().map(|v| v.as_bytes().to_vec()).collect();
    (0..rounds).map(move |round| {
        if round % 2 == 0 || valid.is_empty() {
            let len = (rng.next() % 64) as usize;
            return (0..len).map(|_| rng.pick()).collect();
        }
        let mut bytes = valid[(round / 2) % valid.len()].clone();
        for _ in 0..=(rng.next() % 4) {
            if bytes.is_empty() {
                break;
            }
            let at = (rng.next() % bytes.len() as u64) as usize;
            match rng.next() % 3 {
                0 => bytes[at] = rng.pick(),
                1 => {
                    bytes.remove(at);
                }
                _ => bytes.insert(at, rng.pick()),
            }
        }
        bytes
    })
}

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick(&mut self) -> u8 {
        ALPHABET[(self.next() % ALPHABET.len() as u64) as usize]
    }
}
