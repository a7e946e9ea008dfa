//! The runtime's metadata, reduced to what Taoscope needs: every storage item's hashers, key and
//! value types, every runtime API method's argument and return types, and the type registry that
//! gives them a structural [`Shape`]. V14, V15 and V16 metadata are accepted; V14 has no runtime
//! API section (its methods are simply absent).

use std::collections::BTreeMap;
use std::fmt;

use codec::Decode;
use frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};
use scale_info::{PortableRegistry, TypeDef, TypeDefPrimitive, form::PortableForm};

use crate::keys::Hasher;

/// Why metadata bytes could not be used.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MetadataError {
    /// The bytes are not SCALE-encoded prefixed metadata.
    #[error("metadata bytes do not decode: {0}")]
    Undecodable(String),
    /// The runtime serves a metadata version this client does not read.
    #[error("metadata version {0} is not supported (14, 15 and 16 are)")]
    UnsupportedVersion(u32),
}

/// A storage item as declared by the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageItem {
    /// One hasher per key part (empty for a plain value).
    pub hashers: Vec<Hasher>,
    /// Type id of each key part, in the registry.
    pub key_types: Vec<u32>,
    /// Type id of the value.
    pub value_type: u32,
    /// `OptionQuery`: a missing key reads as nothing rather than the default.
    pub optional: bool,
    /// SCALE bytes of the value a missing key reads as (for `ValueQuery` items).
    pub default: Vec<u8>,
}

/// A runtime API method as declared by the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiMethod {
    /// Argument names and type ids, in order.
    pub inputs: Vec<(String, u32)>,
    /// Type id of the return value.
    pub output: u32,
}

/// Metadata reduced to storage items, runtime APIs and the type registry.
#[derive(Debug, Clone)]
pub struct Metadata {
    /// Every type the items and methods refer to.
    pub types: PortableRegistry,
    storage: BTreeMap<(String, String), StorageItem>,
    apis: BTreeMap<(String, String), ApiMethod>,
}

fn hasher(hasher: &frame_metadata::v14::StorageHasher) -> Hasher {
    use frame_metadata::v14::StorageHasher as H;
    match hasher {
        H::Blake2_128 => Hasher::Blake2_128,
        H::Blake2_256 => Hasher::Blake2_256,
        H::Blake2_128Concat => Hasher::Blake2_128Concat,
        H::Twox128 => Hasher::Twox128,
        H::Twox256 => Hasher::Twox256,
        H::Twox64Concat => Hasher::Twox64Concat,
        H::Identity => Hasher::Identity,
    }
}

fn storage_item(
    types: &PortableRegistry,
    entry_type: &frame_metadata::v14::StorageEntryType<PortableForm>,
    modifier: &frame_metadata::v14::StorageEntryModifier,
    default: &[u8],
) -> StorageItem {
    use frame_metadata::v14::{StorageEntryModifier, StorageEntryType};
    let optional = matches!(modifier, StorageEntryModifier::Optional);
    match entry_type {
        StorageEntryType::Plain(value) => StorageItem {
            hashers: Vec::new(),
            key_types: Vec::new(),
            value_type: value.id,
            optional,
            default: default.to_vec(),
        },
        StorageEntryType::Map { hashers, key, value } => {
            let hashers: Vec<Hasher> = hashers.iter().map(hasher).collect();
            // Several hashers mean the key type is a tuple with one field per hasher.
            let key_types = match types.resolve(key.id).map(|t| &t.type_def) {
                Some(TypeDef::Tuple(tuple)) if hashers.len() > 1 => tuple.fields.iter().map(|field| field.id).collect(),
                _ => vec![key.id],
            };
            StorageItem {
                hashers,
                key_types,
                value_type: value.id,
                optional,
                default: default.to_vec(),
            }
        }
    }
}

impl Metadata {
    /// Decodes `meta`-prefixed metadata (what `Metadata_metadata_at_version` wraps in an Option).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, MetadataError> {
        let prefixed = RuntimeMetadataPrefixed::decode(&mut &bytes[..])
            .map_err(|error| MetadataError::Undecodable(error.to_string()))?;
        let mut storage = BTreeMap::new();
        let mut apis = BTreeMap::new();
        // V14, V15 and V16 differ in types but not in the storage fields read here.
        macro_rules! reduce_storage {
            ($metadata:expr) => {{
                let metadata = $metadata;
                for pallet in &metadata.pallets {
                    let Some(pallet_storage) = &pallet.storage else {
                        continue;
                    };
                    for entry in &pallet_storage.entries {
                        storage.insert(
                            (pallet_storage.prefix.clone(), entry.name.clone()),
                            storage_item(&metadata.types, &entry.ty, &entry.modifier, &entry.default),
                        );
                    }
                }
            }};
        }
        // V15 and V16 declare runtime APIs alike; V14 declares none.
        macro_rules! reduce_apis {
            ($metadata:expr) => {{
                for api in &$metadata.apis {
                    for method in &api.methods {
                        let inputs = method.inputs.iter().map(|p| (p.name.clone(), p.ty.id)).collect();
                        apis.insert(
                            (api.name.clone(), method.name.clone()),
                            ApiMethod {
                                inputs,
                                output: method.output.id,
                            },
                        );
                    }
                }
            }};
        }
        let types = match prefixed.1 {
            RuntimeMetadata::V14(metadata) => {
                reduce_storage!(&metadata);
                metadata.types
            }
            RuntimeMetadata::V15(metadata) => {
                reduce_storage!(&metadata);
                reduce_apis!(metadata);
                metadata.types
            }
            RuntimeMetadata::V16(metadata) => {
                reduce_storage!(&metadata);
                reduce_apis!(metadata);
                metadata.types
            }
            other => return Err(MetadataError::UnsupportedVersion(other.version())),
        };
        Ok(Self { types, storage, apis })
    }

    /// The storage item `item` of the pallet whose storage prefix is `pallet`.
    pub fn storage_item(&self, pallet: &str, item: &str) -> Option<&StorageItem> {
        self.storage.get(&(pallet.to_string(), item.to_string()))
    }

    /// The runtime API method `Trait_method`, split as (`trait`, `method`).
    pub fn api_method(&self, api: &str, method: &str) -> Option<&ApiMethod> {
        self.apis.get(&(api.to_string(), method.to_string()))
    }

    /// Declares runtime API method `api.method` as `method` declares it. V14 metadata has no
    /// runtime API section: a test that replays a V14 runtime's recorded call answers declares
    /// the method it calls as that runtime does, so the readers decode the answer as they would
    /// under its V15 metadata.
    #[cfg(any(test, feature = "internals"))]
    pub fn declare_api_method(&mut self, api: &str, method_name: &str, method: ApiMethod) {
        self.apis.insert((api.to_string(), method_name.to_string()), method);
    }

    /// The structural shape of a registry type.
    pub fn shape(&self, type_id: u32) -> Shape {
        Shape::of(&self.types, type_id, 0)
    }

    /// A registry type as runtime catalogs name it: a named type by its last path segment
    /// (`PerU16`, `AccountId32`, `Balancer`), `Option<T>`, `Vec<T>`, `Compact<T>`, arrays, tuples
    /// and primitives spelled out (`Vec<PerU16>`, `[u8; 32]`, `(u16, u64)`).
    pub fn type_name(&self, type_id: u32) -> String {
        self.type_name_at(type_id, 0)
    }

    fn type_name_at(&self, type_id: u32, depth: u32) -> String {
        let Some(ty) = self.types.resolve(type_id) else {
            return format!("?{type_id}");
        };
        if depth > Shape::MAX_DEPTH {
            return format!("?{type_id}");
        }
        let inner = |id: u32| self.type_name_at(id, depth + 1);
        if let Some(name) = ty.path.segments.last() {
            if name == "Option"
                && let Some(param) = ty.type_params.first().and_then(|p| p.ty)
            {
                return format!("Option<{}>", inner(param.id));
            }
            return name.clone();
        }
        match &ty.type_def {
            TypeDef::Primitive(p) => primitive_name(p).to_string(),
            TypeDef::Compact(c) => format!("Compact<{}>", inner(c.type_param.id)),
            TypeDef::Sequence(s) => format!("Vec<{}>", inner(s.type_param.id)),
            TypeDef::Array(a) => format!("[{}; {}]", inner(a.type_param.id), a.len),
            TypeDef::Tuple(t) => format!(
                "({})",
                t.fields.iter().map(|f| inner(f.id)).collect::<Vec<_>>().join(", ")
            ),
            TypeDef::Composite(_) | TypeDef::Variant(_) | TypeDef::BitSequence(_) => format!("?{type_id}"),
        }
    }

    /// The fields of a struct type (or of the `Some` of an `Option` of one), by name and type id.
    pub fn struct_fields(&self, type_id: u32) -> Option<Vec<(String, u32)>> {
        let ty = self.types.resolve(type_id)?;
        match &ty.type_def {
            TypeDef::Composite(c) => Some(
                c.fields
                    .iter()
                    .map(|f| (f.name.clone().unwrap_or_default(), f.ty.id))
                    .collect(),
            ),
            TypeDef::Variant(v) if ty.path.segments.last().is_some_and(|n| n == "Option") => {
                let some = v.variants.iter().find(|variant| variant.name == "Some")?;
                self.struct_fields(some.fields.first()?.ty.id)
            }
            _ => None,
        }
    }

    /// Renames a storage item, for tests that show the contract checker catching a rename.
    #[cfg(test)]
    pub(crate) fn rename_storage_item(&mut self, pallet: &str, from: &str, to: &str) {
        if let Some(item) = self.storage.remove(&(pallet.to_string(), from.to_string())) {
            self.storage.insert((pallet.to_string(), to.to_string()), item);
        }
    }

    /// Appends fields to a struct type, for tests that decode a later runtime's longer answers
    /// (finney 475's metagraphs) against this registry.
    #[cfg(test)]
    pub(crate) fn append_struct_fields(&mut self, type_id: u32, fields: &[(&str, u32)]) {
        let ty = self
            .types
            .types
            .iter_mut()
            .find(|ty| ty.id == type_id)
            .expect("the type exists");
        let TypeDef::Composite(composite) = &mut ty.ty.type_def else {
            panic!("type {type_id} is not a struct");
        };
        for (name, field_type) in fields {
            composite.fields.push(scale_info::Field {
                name: Some((*name).to_string()),
                ty: (*field_type).into(),
                type_name: None,
                docs: Vec::new(),
            });
        }
    }

    /// Adds a type to the registry under `path` (`["pallet_swap", "Superellipse"]`), for tests
    /// that declare a later runtime's items: its id.
    #[cfg(test)]
    pub(crate) fn declare_type(&mut self, path: &[&str], type_def: TypeDef<PortableForm>) -> u32 {
        let id = self.types.types.iter().map(|ty| ty.id + 1).max().unwrap_or(0);
        self.types.types.push(scale_info::PortableType {
            id,
            ty: scale_info::Type {
                path: scale_info::Path {
                    segments: path.iter().map(|segment| (*segment).to_string()).collect(),
                },
                type_params: Vec::new(),
                type_def,
                docs: Vec::new(),
            },
        });
        id
    }

    /// Declares storage item `pallet.name` as `item` declares it, for tests of a later runtime's
    /// items (finney's `Swap.SwapSuperellipse`, `SubtensorModule.SubnetState`) on an earlier one's
    /// metadata.
    #[cfg(test)]
    pub(crate) fn declare_storage_item(&mut self, pallet: &str, name: &str, item: StorageItem) {
        self.storage.insert((pallet.to_string(), name.to_string()), item);
    }

    /// Removes runtime API method `api.method`, for tests of a runtime without it.
    #[cfg(test)]
    pub(crate) fn remove_api_method(&mut self, api: &str, method: &str) {
        self.apis.remove(&(api.to_string(), method.to_string()));
    }

    /// Changes a storage item's value type, for tests that show the checker catching a retype.
    #[cfg(test)]
    pub(crate) fn retype_storage_item(&mut self, pallet: &str, item: &str, value_type: u32) {
        if let Some(item) = self.storage.get_mut(&(pallet.to_string(), item.to_string())) {
            item.value_type = value_type;
        }
    }
}

/// Named (or unnamed) fields of a struct or enum variant, with their shapes.
pub type Fields = Vec<(Option<String>, Shape)>;

/// How a type is laid out in SCALE, independent of type ids and paths. Two types with equal shapes
/// encode and decode the same way. Single-field structs are transparent (they encode as their field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// A primitive (`bool`, `u16`, `i128`, `str`…), by its Rust name.
    Primitive(&'static str),
    /// `Compact<T>`.
    Compact(Box<Shape>),
    /// `Vec<T>`.
    Sequence(Box<Shape>),
    /// `[T; N]`.
    Array(u32, Box<Shape>),
    /// A tuple.
    Tuple(Vec<Shape>),
    /// A struct with named (or unnamed) fields.
    Composite(Fields),
    /// An enum: variants by index, name and fields.
    Variant(Vec<(u8, String, Fields)>),
    /// A bit sequence.
    BitSequence,
    /// A type id missing from the registry, or nesting too deep to follow.
    Unknown(u32),
}

fn primitive_name(primitive: &TypeDefPrimitive) -> &'static str {
    match primitive {
        TypeDefPrimitive::Bool => "bool",
        TypeDefPrimitive::Char => "char",
        TypeDefPrimitive::Str => "str",
        TypeDefPrimitive::U8 => "u8",
        TypeDefPrimitive::U16 => "u16",
        TypeDefPrimitive::U32 => "u32",
        TypeDefPrimitive::U64 => "u64",
        TypeDefPrimitive::U128 => "u128",
        TypeDefPrimitive::U256 => "u256",
        TypeDefPrimitive::I8 => "i8",
        TypeDefPrimitive::I16 => "i16",
        TypeDefPrimitive::I32 => "i32",
        TypeDefPrimitive::I64 => "i64",
        TypeDefPrimitive::I128 => "i128",
        TypeDefPrimitive::I256 => "i256",
    }
}

impl Shape {
    const MAX_DEPTH: u32 = 24;

    fn fields(types: &PortableRegistry, fields: &[scale_info::Field<PortableForm>], depth: u32) -> Fields {
        fields
            .iter()
            .map(|f| (f.name.clone(), Shape::of(types, f.ty.id, depth + 1)))
            .collect()
    }

    /// The shape of type `id` in `types`.
    pub fn of(types: &PortableRegistry, id: u32, depth: u32) -> Shape {
        let Some(ty) = types.resolve(id) else {
            return Shape::Unknown(id);
        };
        if depth > Self::MAX_DEPTH {
            return Shape::Unknown(id);
        }
        match &ty.type_def {
            TypeDef::Primitive(p) => Shape::Primitive(primitive_name(p)),
            TypeDef::Compact(c) => Shape::Compact(Box::new(Shape::of(types, c.type_param.id, depth + 1))),
            TypeDef::Sequence(s) => Shape::Sequence(Box::new(Shape::of(types, s.type_param.id, depth + 1))),
            TypeDef::Array(a) => Shape::Array(a.len, Box::new(Shape::of(types, a.type_param.id, depth + 1))),
            TypeDef::Tuple(t) => {
                let fields: Vec<Shape> = t.fields.iter().map(|f| Shape::of(types, f.id, depth + 1)).collect();
                match fields.len() {
                    1 => fields.into_iter().next().unwrap_or(Shape::Tuple(Vec::new())),
                    _ => Shape::Tuple(fields),
                }
            }
            TypeDef::Composite(c) if c.fields.len() == 1 => Shape::of(types, c.fields[0].ty.id, depth + 1),
            TypeDef::Composite(c) => Shape::Composite(Self::fields(types, &c.fields, depth)),
            TypeDef::Variant(v) => Shape::Variant(
                v.variants
                    .iter()
                    .map(|variant| {
                        (
                            variant.index,
                            variant.name.clone(),
                            Self::fields(types, &variant.fields, depth),
                        )
                    })
                    .collect(),
            ),
            TypeDef::BitSequence(_) => Shape::BitSequence,
        }
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn fields(f: &mut fmt::Formatter<'_>, fields: &[(Option<String>, Shape)]) -> fmt::Result {
            for (i, (name, shape)) in fields.iter().enumerate() {
                if i > 0 {
                    write!(f, ", ")?;
                }
                match name {
                    Some(name) => write!(f, "{name}: {shape}")?,
                    None => write!(f, "{shape}")?,
                }
            }
            Ok(())
        }
        match self {
            Shape::Primitive(name) => write!(f, "{name}"),
            Shape::Compact(inner) => write!(f, "Compact<{inner}>"),
            Shape::Sequence(inner) => write!(f, "Vec<{inner}>"),
            Shape::Array(len, inner) => write!(f, "[{inner}; {len}]"),
            Shape::Tuple(items) => {
                write!(f, "(")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{item}")?;
                }
                write!(f, ")")
            }
            Shape::Composite(items) => {
                write!(f, "{{ ")?;
                fields(f, items)?;
                write!(f, " }}")
            }
            Shape::Variant(variants) => {
                write!(f, "enum {{ ")?;
                for (i, (_, name, items)) in variants.iter().enumerate() {
                    if i > 0 {
                        write!(f, " | ")?;
                    }
                    write!(f, "{name}")?;
                    if !items.is_empty() {
                        write!(f, "(")?;
                        fields(f, items)?;
                        write!(f, ")")?;
                    }
                }
                write!(f, " }}")
            }
            Shape::BitSequence => write!(f, "BitSeq"),
            Shape::Unknown(id) => write!(f, "?{id}"),
        }
    }
}
