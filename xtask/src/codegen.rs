//! `cargo xtask codegen`: regenerates `sdk/` from `models/` and `sdk/services.toml`, and the
//! runtime's generated data (the partitions of `aws.partition`).

use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;
use stratus_codegen::{EmitOptions, GeneratedCrate, GeneratedFile, ModelsDir, RuntimeDependency};

#[derive(Debug, Default)]
pub struct Args {
    services: Vec<String>,
    all: bool,
    out: Option<PathBuf>,
    check: bool,
}

impl Args {
    pub fn parse(args: &[String]) -> Result<Self> {
        let mut parsed = Args::default();
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            match arg.as_str() {
                "--service" => parsed
                    .services
                    .push(it.next().context("--service needs a NAME")?.clone()),
                "--all" => parsed.all = true,
                "--out" => parsed.out = Some(it.next().context("--out needs a DIR")?.into()),
                "--check" => parsed.check = true,
                other => bail!("unknown codegen argument `{other}`"),
            }
        }
        if parsed.all != parsed.out.is_some() {
            bail!("--all and --out DIR go together");
        }
        if parsed.all && (parsed.check || !parsed.services.is_empty()) {
            bail!("--all generates every service; it takes neither --service nor --check");
        }
        Ok(parsed)
    }
}

/// The services `sdk/services.toml` lists.
pub fn listed_services(root: &Path) -> Result<Vec<String>> {
    #[derive(serde::Deserialize)]
    struct ServicesToml {
        services: Vec<String>,
    }
    let path = root.join("sdk/services.toml");
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let parsed: ServicesToml =
        toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    Ok(parsed.services)
}

pub fn run(root: &Path, args: Args) -> Result<()> {
    let models = ModelsDir::new(root.join("models"));
    let botocore_version = stratus_codegen::botocore_version(&models)?;
    if let Some(out) = &args.out {
        return generate_all(root, &models, &botocore_version, out).map(|_| ());
    }
    let services = if args.services.is_empty() {
        listed_services(root)?
    } else {
        args.services.clone()
    };
    let options = EmitOptions {
        runtime: RuntimeDependency::Workspace,
        botocore_version,
    };
    let start = Instant::now();
    let crates = generate(&models, &services, &options)?;
    let runtime_files = runtime_files(&models)?;
    let sdk = root.join("sdk");
    if args.check {
        let mut drift = check(&sdk, &crates)?;
        drift.extend(check_runtime_files(root, &runtime_files));
        if args.services.is_empty() {
            // Every crate directory under sdk/ must be a listed service.
            let listed: BTreeSet<&str> = services.iter().map(String::as_str).collect();
            for entry in fs::read_dir(&sdk)? {
                let entry = entry?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if entry.file_type()?.is_dir() && !listed.contains(name.as_str()) {
                    drift.push(format!("sdk/{name}/ (not listed in sdk/services.toml)"));
                }
            }
        }
        if !drift.is_empty() {
            bail!(
                "generated files differ from what codegen produces (run `cargo xtask codegen`):\n  {}",
                drift.join("\n  ")
            );
        }
        println!(
            "codegen --check: sdk/ ({} crates) and the runtime's generated files are up to date",
            crates.len()
        );
        return Ok(());
    }
    let written = write(&sdk, &crates)? + write_runtime_files(root, &runtime_files)?;
    summary(&crates, written, start);
    Ok(())
}

fn generate(
    models: &ModelsDir,
    services: &[String],
    options: &EmitOptions,
) -> Result<Vec<GeneratedCrate>> {
    services
        .par_iter()
        .map(|service| stratus_codegen::generate(models, service, options))
        .collect()
}

fn summary(crates: &[GeneratedCrate], files: usize, start: Instant) {
    let operations: usize = crates.iter().map(|c| c.operations).sum();
    let shapes: usize = crates.iter().map(|c| c.shapes).sum();
    println!(
        "codegen: {} services, {operations} operations, {shapes} shapes, {files} files written, {:.2}s",
        crates.len(),
        start.elapsed().as_secs_f64()
    );
    let mut examples = stratus_codegen::examples::ExampleCounts::default();
    for krate in crates {
        examples.add(&krate.examples);
    }
    println!("codegen: {examples}");
}

/// Writes each crate into `dir/<service>/`, replacing files that changed, removing files
/// that codegen no longer produces. Returns the number of files written.
fn write(dir: &Path, crates: &[GeneratedCrate]) -> Result<usize> {
    let mut written = 0;
    for krate in crates {
        let crate_dir = dir.join(&krate.service);
        let mut expected = BTreeSet::new();
        for file in &krate.files {
            let path = crate_dir.join(&file.path);
            expected.insert(path.clone());
            if fs::read(&path).ok().as_deref() == Some(file.contents.as_bytes()) {
                continue;
            }
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(&path, &file.contents)
                .with_context(|| format!("writing {}", path.display()))?;
            written += 1;
        }
        for stale in files_under(&crate_dir)? {
            if !expected.contains(&stale) {
                fs::remove_file(&stale).with_context(|| format!("removing {}", stale.display()))?;
            }
        }
    }
    Ok(written)
}

/// Compares generated crates with `dir`; returns the paths that differ, are missing or extra.
fn check(dir: &Path, crates: &[GeneratedCrate]) -> Result<Vec<String>> {
    let mut drift = Vec::new();
    for krate in crates {
        let crate_dir = dir.join(&krate.service);
        let mut expected = BTreeSet::new();
        for file in &krate.files {
            let path = crate_dir.join(&file.path);
            let shown = format!("sdk/{}/{}", krate.service, file.path);
            match fs::read(&path) {
                Ok(bytes) if bytes == file.contents.as_bytes() => {}
                Ok(_) => drift.push(format!("{shown} (differs)")),
                Err(_) => drift.push(format!("{shown} (missing)")),
            }
            expected.insert(path);
        }
        for extra in files_under(&crate_dir)? {
            if !expected.contains(&extra) {
                drift.push(format!("{} (not generated)", extra.display()));
            }
        }
    }
    Ok(drift)
}

/// The runtime's generated files (paths relative to the workspace root): the partition
/// data of `aws.partition`, and the endpoint rules of the services credential providers call.
fn runtime_files(models: &ModelsDir) -> Result<Vec<GeneratedFile>> {
    Ok(vec![
        stratus_codegen::partitions::generate(models)?,
        stratus_codegen::credential_rules::generate(models)?,
    ])
}

/// Writes the runtime's generated files that changed; returns how many were written.
fn write_runtime_files(root: &Path, files: &[GeneratedFile]) -> Result<usize> {
    let mut written = 0;
    for file in files {
        let path = root.join(&file.path);
        if fs::read(&path).ok().as_deref() != Some(file.contents.as_bytes()) {
            fs::write(&path, &file.contents)
                .with_context(|| format!("writing {}", path.display()))?;
            written += 1;
        }
    }
    Ok(written)
}

/// The runtime's generated files that differ from what is on disk, or are missing.
fn check_runtime_files(root: &Path, files: &[GeneratedFile]) -> Vec<String> {
    files
        .iter()
        .filter_map(|file| match fs::read(root.join(&file.path)) {
            Ok(bytes) if bytes == file.contents.as_bytes() => None,
            Ok(_) => Some(format!("{} (differs)", file.path)),
            Err(_) => Some(format!("{} (missing)", file.path)),
        })
        .collect()
}

/// Every file below `dir` (none if it does not exist), skipping build output.
fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                if entry.file_name() != "target" {
                    stack.push(path);
                }
            } else {
                out.push(path);
            }
        }
    }
    Ok(out)
}

/// `--all --out DIR`: every service in `models/` into DIR, with a workspace `Cargo.toml`
/// pointing at this repository's runtime. Returns the number of crates.
pub fn generate_all(
    root: &Path,
    models: &ModelsDir,
    botocore_version: &str,
    out: &Path,
) -> Result<usize> {
    let start = Instant::now();
    let runtime =
        fs::canonicalize(root.join("crates/runtime")).context("locating crates/runtime")?;
    let options = EmitOptions {
        runtime: RuntimeDependency::Path(runtime),
        botocore_version: botocore_version.to_string(),
    };
    let services = models.services()?;
    let crates = generate(models, &services, &options)?;
    fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let written = write(out, &crates)?;
    let members = services
        .iter()
        .map(|s| format!("    \"{s}\",\n"))
        .collect::<String>();
    let workspace = format!(
        "# Generated by `cargo xtask codegen --all`: every service of models/, outside the\n\
         # project's workspace.\n\
         [workspace]\nresolver = \"3\"\nmembers = [\n{members}]\n\n\
         [profile.dev]\ndebug = false\n"
    );
    fs::write(out.join("Cargo.toml"), workspace)?;
    summary(&crates, written + 1, start);
    Ok(crates.len())
}
