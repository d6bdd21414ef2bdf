//! Snapshot test: the crate generated from the hand-written model in `tests/models/tiny`
//! is committed at `tests/tiny-client/` (a workspace member, so it is also compiled, linted
//! and exercised by `stratus-tests`). Regenerate it with `STRATUS_BLESS=1 cargo test -p
//! stratus-codegen --test snapshot` and review the diff.

use std::path::{Path, PathBuf};
use stratus_codegen::{EmitOptions, ModelsDir, RuntimeDependency};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn tiny_model_generates_the_committed_crate() {
    let models = ModelsDir::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/models"));
    let options = EmitOptions {
        runtime: RuntimeDependency::Workspace,
        botocore_version: stratus_codegen::botocore_version(&models).unwrap(),
    };
    let generated = stratus_codegen::generate(&models, "tiny", &options).unwrap();
    let dir = repo().join("tests/tiny-client");
    let bless = std::env::var_os("STRATUS_BLESS").is_some();
    let mut stale = Vec::new();
    for file in &generated.files {
        let path = dir.join(&file.path);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != file.contents {
            if bless {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &file.contents).unwrap();
            } else {
                let line = committed
                    .lines()
                    .zip(file.contents.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or_else(|| {
                        committed.lines().count().min(file.contents.lines().count())
                    })
                    + 1;
                stale.push(format!("{} (first difference at line {line})", file.path));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "generated code differs from tests/tiny-client (bless with STRATUS_BLESS=1):\n{}",
        stale.join("\n")
    );
    assert_eq!(generated.operations, 5);
    // 29 model shapes plus the synthetic input of `Ping` and output of `PutThing`.
    assert_eq!(generated.shapes, 31);
}
