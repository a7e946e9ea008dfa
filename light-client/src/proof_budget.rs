//! What a Merkle proof's bytes are made of, for the benchmark's byte budget: each trie node of a
//! storage or call proof split into the storage values it carries, the hashes that link it to its
//! children, its partial key and its header, with the runtime's code told apart. Pure; the
//! benchmark fetches the proofs a peer would send and prints this beside the bytes received.

use std::collections::HashSet;

use smoldot::trie::trie_node::{self, StorageValue};
use sp_crypto_hashing::blake2_256;

/// Bytes of a proof by what they are. Every byte of every node is counted in exactly one field,
/// so the fields add up to [`ProofBudget::node_bytes`].
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ProofBudget {
    /// Trie nodes in the proof (value nodes included).
    pub nodes: usize,
    /// Storage values inside trie nodes (values of up to 32 bytes, which a V1 trie keeps inline).
    pub inline_value_bytes: usize,
    /// Value nodes: storage values over 32 bytes, kept apart and referenced by hash (the runtime
    /// code excepted).
    pub value_node_bytes: usize,
    /// The runtime's code (`:code`), when the proof carries it.
    pub runtime_code_bytes: usize,
    /// The 32-byte hashes by which a node refers to its children and to its hashed value, and
    /// children small enough to be inlined in their parent.
    pub hash_bytes: usize,
    /// Partial keys: the key nibbles each node adds to its path.
    pub partial_key_bytes: usize,
    /// The rest of each node: its header, children bitmap and length prefixes.
    pub header_bytes: usize,
    /// Nodes the decoder could not read as trie nodes nor match to a hashed value.
    pub unreadable_bytes: usize,
}

impl ProofBudget {
    /// All the nodes' bytes (without the list's own length prefixes).
    pub fn node_bytes(&self) -> usize {
        self.inline_value_bytes
            + self.value_node_bytes
            + self.runtime_code_bytes
            + self.hash_bytes
            + self.partial_key_bytes
            + self.header_bytes
            + self.unreadable_bytes
    }

    /// The storage values the proof carries, code excluded.
    pub fn value_bytes(&self) -> usize {
        self.inline_value_bytes + self.value_node_bytes
    }

    /// The sum of two budgets (a call proof and the reads made alongside it).
    pub fn plus(&self, other: &ProofBudget) -> ProofBudget {
        ProofBudget {
            nodes: self.nodes + other.nodes,
            inline_value_bytes: self.inline_value_bytes + other.inline_value_bytes,
            value_node_bytes: self.value_node_bytes + other.value_node_bytes,
            runtime_code_bytes: self.runtime_code_bytes + other.runtime_code_bytes,
            hash_bytes: self.hash_bytes + other.hash_bytes,
            partial_key_bytes: self.partial_key_bytes + other.partial_key_bytes,
            header_bytes: self.header_bytes + other.header_bytes,
            unreadable_bytes: self.unreadable_bytes + other.unreadable_bytes,
        }
    }
}

/// Splits the nodes of a proof into a [`ProofBudget`]. `code_hash` is the blake2-256 hash of the
/// runtime's code (`state_getStorageHash(":code")`), so a value node holding it is counted apart.
pub fn proof_budget(nodes: &[Vec<u8>], code_hash: Option<[u8; 32]>) -> ProofBudget {
    let decoded: Vec<_> = nodes.iter().map(|node| trie_node::decode(node).ok()).collect();
    // A value node is one whose hash some trie node names as its storage value; it does not
    // decode as a trie node reliably, so those are told apart first.
    let hashed_values: HashSet<[u8; 32]> = decoded
        .iter()
        .flatten()
        .filter_map(|node| match node.storage_value {
            StorageValue::Hashed(hash) => Some(*hash),
            _ => None,
        })
        .collect();
    let mut budget = ProofBudget {
        nodes: nodes.len(),
        ..ProofBudget::default()
    };
    for (node, decoded) in nodes.iter().zip(decoded) {
        let hash = blake2_256(node);
        if hashed_values.contains(&hash) {
            if Some(hash) == code_hash {
                budget.runtime_code_bytes += node.len();
            } else {
                budget.value_node_bytes += node.len();
            }
            continue;
        }
        let Some(decoded) = decoded else {
            budget.unreadable_bytes += node.len();
            continue;
        };
        let partial_key = decoded.partial_key.len().div_ceil(2);
        let children: usize = decoded.children.iter().flatten().map(|child| child.len()).sum();
        let (inline, hashed) = match decoded.storage_value {
            StorageValue::Unhashed(value) => (value.len(), 0),
            StorageValue::Hashed(_) => (0, 32),
            StorageValue::None => (0, 0),
        };
        budget.partial_key_bytes += partial_key;
        budget.hash_bytes += children + hashed;
        budget.inline_value_bytes += inline;
        budget.header_bytes += node.len() - partial_key - children - hashed - inline;
    }
    budget
}

#[cfg(test)]
mod tests {
    use super::*;
    use smoldot::trie::trie_node::Decoded;
    use smoldot::trie::{Nibble, bytes_to_nibbles};

    fn node(partial_key: &[u8], children: [Option<Vec<u8>>; 16], value: StorageValue<'_>) -> Vec<u8> {
        let nibbles: Vec<Nibble> = bytes_to_nibbles(partial_key.iter().copied()).collect();
        trie_node::encode_to_vec(Decoded {
            partial_key: nibbles.into_iter(),
            children,
            storage_value: value,
        })
        .expect("a valid node")
    }

    fn no_children() -> [Option<Vec<u8>>; 16] {
        Default::default()
    }

    #[test]
    fn a_leaf_with_an_inline_value_splits_into_key_value_and_header() {
        let leaf = node(&[0xab, 0xcd], no_children(), StorageValue::Unhashed(&[7, 7, 7]));
        let budget = proof_budget(std::slice::from_ref(&leaf), None);
        assert_eq!(budget.nodes, 1);
        assert_eq!(budget.partial_key_bytes, 2);
        assert_eq!(budget.inline_value_bytes, 3);
        assert_eq!(budget.hash_bytes, 0);
        // One header byte (leaf, 4 nibbles) and the value's one-byte length prefix.
        assert_eq!(budget.header_bytes, 2);
        assert_eq!(budget.node_bytes(), leaf.len());
    }

    #[test]
    fn a_branch_counts_a_hash_per_child() {
        let mut children = no_children();
        children[0] = Some(vec![1; 32]);
        children[9] = Some(vec![2; 32]);
        let branch = node(&[], children, StorageValue::None);
        let budget = proof_budget(std::slice::from_ref(&branch), None);
        assert_eq!(budget.hash_bytes, 64);
        assert_eq!(budget.partial_key_bytes, 0);
        assert_eq!(budget.value_bytes(), 0);
        assert_eq!(budget.node_bytes(), branch.len());
    }

    #[test]
    fn value_nodes_and_the_runtime_code_are_told_apart_by_hash() {
        let value = vec![0x55; 100];
        let code = vec![0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x99, 0x98];
        let value_hash = blake2_256(&value);
        let code_hash = blake2_256(&code);
        let leaf = node(&[0x01], no_children(), StorageValue::Hashed(&value_hash));
        let code_leaf = node(&[0x02], no_children(), StorageValue::Hashed(&code_hash));
        let nodes = vec![leaf.clone(), code_leaf.clone(), value.clone(), code.clone()];
        let budget = proof_budget(&nodes, Some(code_hash));
        assert_eq!(budget.nodes, 4);
        assert_eq!(budget.value_node_bytes, 100);
        assert_eq!(budget.runtime_code_bytes, code.len());
        assert_eq!(budget.hash_bytes, 64, "each leaf names its value by a 32-byte hash");
        assert_eq!(budget.unreadable_bytes, 0);
        assert_eq!(budget.node_bytes(), leaf.len() + code_leaf.len() + 100 + code.len());
        // Without the code's hash the code is one more value node.
        assert_eq!(proof_budget(&nodes, None).value_node_bytes, 100 + code.len());
    }

    #[test]
    fn a_node_that_is_neither_is_counted_as_unreadable() {
        // A branch header (0b11) announcing a partial key the three bytes do not hold.
        let garbage = vec![0xff, 0xff, 0xff];
        assert!(trie_node::decode(&garbage).is_err());
        let budget = proof_budget(std::slice::from_ref(&garbage), None);
        assert_eq!(budget.unreadable_bytes, 3);
        assert_eq!(budget.node_bytes(), 3);
    }
}
