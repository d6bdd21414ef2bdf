//! Shapes AWS defines as unions that botocore's data describes as structures.
//!
//! AWS's own API definitions (the Smithy models the official SDKs are generated from,
//! published at `github.com/aws/api-models-aws`) declare some shapes `union`: exactly one
//! member is set. botocore marks such shapes `"union": true`, except for a few it keeps as
//! plain structures, DynamoDB's `AttributeValue` first among them. Generated as structures,
//! those are a struct of `Option`s that can hold no value or several; [`UNIONS`] lists the
//! ones Stratus generates as unions instead. [`apply`] marks them `union` in the loaded model
//! before the IR is built, so from there on they are unions like any other: an `enum` with a
//! variant per member and `Unknown`, and a `Schema::union`. The wire does not change: a union
//! is sent as a structure with its one member set.
//!
//! An entry may also list [`Conversion`]s: `From` impls emitted on the enum for the values
//! users write most, documented on the enum.

use anyhow::{Result, bail};
use stratus_runtime::model::ServiceModel;

/// A structure of botocore's model that Stratus generates as a union.
#[derive(Debug, Clone, Copy)]
pub struct Union {
    /// botocore's service name (the directory under `models/`).
    pub service: &'static str,
    /// The shape, as the model names it.
    pub shape: &'static str,
    /// Why the entry is there: what the shape is, and that AWS defines it as a union.
    pub why: &'static str,
    /// The `From` impls to emit on the enum.
    pub conversions: &'static [Conversion],
}

/// A `From<T>` impl on a union's enum, building one variant.
#[derive(Debug, Clone, Copy)]
pub struct Conversion {
    /// The member (model name) whose variant the value becomes.
    pub member: &'static str,
    pub from: Source,
}

/// The `T` of a [`Conversion`], and how a `T` becomes the member's value.
#[derive(Debug, Clone, Copy)]
pub enum Source {
    /// The member's own Rust type, moved in: `Self::M(value)`.
    Member,
    /// A type that converts into the member's type with `Into`: `Self::M(value.into())`.
    Into(&'static str),
    /// A number, held by a string member as its decimal text: `Self::M(value.to_string())`.
    Number(&'static str),
}

impl Conversion {
    const fn new(member: &'static str, from: Source) -> Self {
        Conversion { member, from }
    }
}

/// DynamoDB's attribute values from the Rust values they hold: strings, booleans, bytes,
/// lists and maps of attribute values, and numbers as the decimal text `N` holds.
const ATTRIBUTE_VALUE_FROM: &[Conversion] = &[
    Conversion::new("S", Source::Member),
    Conversion::new("S", Source::Into("&str")),
    Conversion::new("BOOL", Source::Member),
    Conversion::new("B", Source::Member),
    Conversion::new("B", Source::Into("Vec<u8>")),
    Conversion::new("L", Source::Member),
    Conversion::new("M", Source::Member),
    Conversion::new("N", Source::Number("i32")),
    Conversion::new("N", Source::Number("i64")),
    Conversion::new("N", Source::Number("u64")),
    Conversion::new("N", Source::Number("f64")),
];

/// Every shape Stratus generates as a union although botocore's model has a structure.
///
/// An entry belongs here when the shape is a `union` in AWS's Smithy model of the service
/// and users build values of it by hand (it is part of an operation's input); each entry's
/// `why` says what it is. Event streams, which Smithy also declares as unions, are not
/// listed: botocore marks them `eventstream`, and they are read from the event-stream
/// framing, not built. X-Ray's `AnnotationValue` is a Smithy union too, but only ever in
/// outputs, so it is left as botocore has it. Codegen fails, naming the entry, when an
/// entry's shape is missing, is not a structure, or could not be a union (a required or
/// HTTP-bound member, an exception, an event stream).
pub const UNIONS: &[Union] = &[
    Union {
        service: "dynamodb",
        shape: "AttributeValue",
        why: "An item's attribute value: one of ten types, written as a one-key object \
              (`{\"S\": \"x\"}`). Every item, key, condition and expression value users \
              send is one; a struct of ten `Option`s let them send none or several.",
        conversions: ATTRIBUTE_VALUE_FROM,
    },
    Union {
        service: "dynamodbstreams",
        shape: "AttributeValue",
        why: "DynamoDB's attribute value as stream records (`GetRecords`) carry it: the same \
              union, so values read from a stream have the same shape as DynamoDB's own.",
        conversions: ATTRIBUTE_VALUE_FROM,
    },
    Union {
        service: "s3",
        shape: "AnalyticsFilter",
        why: "The filter of a bucket analytics configuration \
              (`PutBucketAnalyticsConfiguration`): a prefix, a tag, or an `And` of both.",
        conversions: &[],
    },
    Union {
        service: "s3",
        shape: "MetricsFilter",
        why: "The filter of a bucket metrics configuration (`PutBucketMetricsConfiguration`): \
              a prefix, a tag, an access point, or an `And` of them.",
        conversions: &[],
    },
    Union {
        service: "clouddirectory",
        shape: "TypedAttributeValue",
        why: "A directory object's attribute value (`CreateObject`, `UpdateObjectAttributes`, \
              typed links and facets): a string, binary, boolean, number or datetime.",
        conversions: &[],
    },
    Union {
        service: "iot",
        shape: "AssetPropertyVariant",
        why: "The value an IoT SiteWise topic-rule action writes (`CreateTopicRule`): a \
              string, integer, double or boolean expression.",
        conversions: &[],
    },
    Union {
        service: "quicksight",
        shape: "DataSourceParameters",
        why: "How QuickSight connects to a data source (`CreateDataSource`): the parameters \
              of exactly one engine.",
        conversions: &[],
    },
    Union {
        service: "quicksight",
        shape: "PhysicalTable",
        why: "A data set's physical table (`CreateDataSet`): a relational table, custom SQL, \
              an S3 source, a SaaS table or a file.",
        conversions: &[],
    },
    Union {
        service: "quicksight",
        shape: "TransformOperation",
        why: "One step of a data set's logical table transforms (`CreateDataSet`): project, \
              filter, create, rename, cast, tag or untag columns, or override a parameter.",
        conversions: &[],
    },
    Union {
        service: "sagemaker",
        shape: "TrialComponentParameterValue",
        why: "A trial component's hyperparameter (`CreateTrialComponent`): a string or a \
              number.",
        conversions: &[],
    },
];

/// The entry of `table` for `shape` of `service`, if any.
pub fn find<'t>(table: &'t [Union], service: &str, shape: &str) -> Option<&'t Union> {
    table
        .iter()
        .find(|u| u.service == service && u.shape == shape)
}

/// Marks the shapes `table` lists for `service` as unions in `model`, after checking that
/// each is a structure that can be one. Errors name the entry.
pub fn apply(table: &[Union], service: &str, model: &mut ServiceModel) -> Result<()> {
    for entry in table.iter().filter(|u| u.service == service) {
        let name = format!(
            "codegen/src/unions.rs: entry ({}, {})",
            entry.service, entry.shape
        );
        let Some(shape) = model.shapes.get_mut(entry.shape) else {
            bail!(
                "{name}: the model of `{service}` has no shape `{}`",
                entry.shape
            );
        };
        if shape.shape_type != "structure" || shape.document {
            let kind = if shape.document {
                "document"
            } else {
                &shape.shape_type
            };
            bail!("{name}: the shape is a {kind}, not a structure");
        }
        if shape.union {
            bail!("{name}: botocore's model already marks the shape a union; remove the entry");
        }
        let problem = if shape.exception {
            Some("it is an exception".to_string())
        } else if shape.eventstream {
            Some("it is an event stream".to_string())
        } else if shape.members.is_empty() {
            Some("it has no members".to_string())
        } else if let Some(required) = shape.required.first() {
            Some(format!("its member `{required}` is required"))
        } else {
            shape
                .members
                .iter()
                .find(|(_, r)| r.location.is_some() || r.streaming)
                .map(|(member, _)| format!("its member `{member}` is bound to HTTP"))
        };
        if let Some(problem) = problem {
            bail!("{name}: the structure cannot be a union: {problem}");
        }
        for c in entry.conversions {
            if !shape.members.contains_key(c.member) {
                bail!(
                    "{name}: a conversion names member `{}`, which the shape does not have",
                    c.member
                );
            }
        }
        shape.union = true;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ModelsDir;
    use stratus_runtime::schema::ShapeType;

    fn models() -> ModelsDir {
        ModelsDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../models"))
    }

    fn error(table: &[Union], service: &str) -> String {
        let mut model = models().load(service).unwrap().model;
        apply(table, service, &mut model).unwrap_err().to_string()
    }

    const fn entry(service: &'static str, shape: &'static str) -> Union {
        Union {
            service,
            shape,
            why: "a test",
            conversions: &[],
        }
    }

    #[test]
    fn every_entry_names_a_structure_that_becomes_a_union() {
        let mut services: Vec<&str> = UNIONS.iter().map(|u| u.service).collect();
        services.dedup();
        for service in services {
            let mut model = models().load(service).unwrap().model;
            apply(UNIONS, service, &mut model).unwrap();
            for entry in UNIONS.iter().filter(|u| u.service == service) {
                let shape = &model.shapes[entry.shape];
                assert_eq!(shape.schema_type(entry.shape).unwrap(), ShapeType::Union);
                assert!(!entry.why.trim().is_empty(), "{service} {}", entry.shape);
            }
        }
        let mut keys: Vec<_> = UNIONS.iter().map(|u| (u.service, u.shape)).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), UNIONS.len(), "an entry is listed twice");
    }

    #[test]
    fn a_missing_shape_is_an_error_naming_the_entry() {
        let err = error(&[entry("dynamodb", "AttributeValu")], "dynamodb");
        assert_eq!(
            err,
            "codegen/src/unions.rs: entry (dynamodb, AttributeValu): the model of `dynamodb` \
             has no shape `AttributeValu`"
        );
    }

    #[test]
    fn a_shape_that_is_not_a_structure_is_an_error_naming_the_entry() {
        let err = error(&[entry("dynamodb", "AttributeMap")], "dynamodb");
        assert_eq!(
            err,
            "codegen/src/unions.rs: entry (dynamodb, AttributeMap): the shape is a map, \
             not a structure"
        );
    }

    #[test]
    fn a_structure_that_cannot_be_a_union_is_an_error_naming_the_entry() {
        // `KeySchemaElement` requires both its members.
        let err = error(&[entry("dynamodb", "KeySchemaElement")], "dynamodb");
        assert_eq!(
            err,
            "codegen/src/unions.rs: entry (dynamodb, KeySchemaElement): the structure cannot \
             be a union: its member `AttributeName` is required"
        );
        let err = error(
            &[entry("dynamodb", "ResourceNotFoundException")],
            "dynamodb",
        );
        assert!(err.ends_with("it is an exception"), "{err}");
    }

    #[test]
    fn a_conversion_into_a_missing_member_is_an_error_naming_the_entry() {
        const TABLE: &[Union] = &[Union {
            conversions: &[Conversion::new("STRING", Source::Member)],
            ..entry("dynamodb", "AttributeValue")
        }];
        let err = error(TABLE, "dynamodb");
        assert_eq!(
            err,
            "codegen/src/unions.rs: entry (dynamodb, AttributeValue): a conversion names \
             member `STRING`, which the shape does not have"
        );
    }

    #[test]
    fn other_services_are_left_alone() {
        let mut model = models().load("dynamodb").unwrap().model;
        apply(&[entry("s3", "NoSuchShape")], "dynamodb", &mut model).unwrap();
        assert!(!model.shapes["AttributeValue"].union);
    }
}
