//! `cargo xtask models import --from <botocore wheel | botocore data dir>`
//!
//! Copies botocore's data into `models/` exactly as botocore ships it: for each service the
//! newest API version that has a `service-2` model (every file of that version directory,
//! gzip where botocore gzips), plus the shared top-level files. `models/VERSION` records the
//! botocore version and, when importing from a wheel, the wheel's sha256.

use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Files at the top of botocore's `data/` that Stratus keeps.
const TOP_LEVEL_FILES: &[&str] = &[
    "endpoints.json",
    "partitions.json",
    "_retry.json",
    "sdk-default-configuration.json",
];

/// botocore's data, as relative path (under `botocore/data/`) to file contents.
struct Data {
    files: BTreeMap<String, Vec<u8>>,
    version: String,
    wheel_sha256: Option<String>,
    license: Option<Vec<u8>>,
    notice: Option<Vec<u8>>,
}

pub fn import(from: &Path, models_dir: &Path) -> Result<()> {
    let data = if from.is_dir() {
        read_dir_source(from)?
    } else {
        read_wheel(from)?
    };
    let selected = select_latest(&data.files)?;
    write_models(models_dir, &data, &selected)?;
    let services = selected
        .keys()
        .filter_map(|p| p.split_once('/').map(|(s, _)| s))
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    println!(
        "models: botocore {} -> {} ({} services, {} files)",
        data.version,
        models_dir.display(),
        services,
        selected.len()
    );
    Ok(())
}

fn read_wheel(path: &Path) -> Result<Data> {
    let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let digest = ring::digest::digest(&ring::digest::SHA256, &bytes);
    let sha = digest
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes))
        .with_context(|| format!("{} is not a wheel (zip archive)", path.display()))?;
    let mut files = BTreeMap::new();
    let mut version = None;
    let mut license = None;
    let mut notice = None;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().to_string();
        let mut contents = Vec::with_capacity(entry.size() as usize);
        entry
            .read_to_end(&mut contents)
            .with_context(|| format!("reading {name} from {}", path.display()))?;
        if let Some(rel) = name.strip_prefix("botocore/data/") {
            files.insert(rel.to_string(), contents);
        } else if name == "botocore/__init__.py" {
            version = parse_version(&String::from_utf8_lossy(&contents));
        } else if name.ends_with(".dist-info/LICENSE.txt") {
            license = Some(contents);
        } else if name.ends_with(".dist-info/NOTICE") {
            notice = Some(contents);
        }
    }
    if files.is_empty() {
        bail!("{} holds no botocore/data/ files", path.display());
    }
    Ok(Data {
        files,
        version: version.context("botocore/__init__.py has no __version__")?,
        wheel_sha256: Some(sha),
        license,
        notice,
    })
}

/// Accepts a botocore checkout or site-packages dir (`botocore/data` below it), the
/// `botocore` package dir (`data` below it), or the data dir itself.
fn read_dir_source(path: &Path) -> Result<Data> {
    let candidates = [
        path.join("botocore").join("data"),
        path.join("data"),
        path.to_path_buf(),
    ];
    let data_dir = candidates
        .iter()
        .find(|p| p.join("endpoints.json").is_file())
        .with_context(|| format!("no botocore data (endpoints.json) under {}", path.display()))?
        .clone();
    let mut files = BTreeMap::new();
    collect_files(&data_dir, &data_dir, &mut files)?;
    let package = data_dir.parent().map(Path::to_path_buf).unwrap_or_default();
    let version = fs::read_to_string(package.join("__init__.py"))
        .ok()
        .and_then(|s| parse_version(&s))
        .unwrap_or_else(|| "unknown".to_string());
    Ok(Data {
        files,
        version,
        wheel_sha256: None,
        license: None,
        notice: None,
    })
}

fn collect_files(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) -> Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(root, &path, out)?;
        } else {
            let rel = path
                .strip_prefix(root)
                .expect("walked paths are below the root")
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.insert(rel, fs::read(&path)?);
        }
    }
    Ok(())
}

fn parse_version(init_py: &str) -> Option<String> {
    init_py.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("__version__")?.trim_start();
        let rest = rest.strip_prefix('=')?.trim();
        Some(rest.trim_matches(|c| c == '\'' || c == '"').to_string())
    })
}

/// Picks the files Stratus keeps: the top-level files and, per service, every file of the
/// newest API version that has a service model (as botocore's loader picks it).
fn select_latest(files: &BTreeMap<String, Vec<u8>>) -> Result<BTreeMap<String, &[u8]>> {
    let mut latest: BTreeMap<&str, &str> = BTreeMap::new();
    for path in files.keys() {
        let parts: Vec<&str> = path.split('/').collect();
        if let [service, version, file] = parts[..]
            && (file == "service-2.json" || file == "service-2.json.gz")
        {
            let entry = latest.entry(service).or_insert(version);
            if version > *entry {
                *entry = version;
            }
        }
    }
    let mut selected = BTreeMap::new();
    for name in TOP_LEVEL_FILES {
        let contents = files
            .get(*name)
            .with_context(|| format!("botocore data lacks {name}"))?;
        selected.insert(name.to_string(), contents.as_slice());
    }
    for (path, contents) in files {
        let parts: Vec<&str> = path.split('/').collect();
        if let [service, version, _file] = parts[..]
            && latest.get(service) == Some(&version)
        {
            selected.insert(path.clone(), contents.as_slice());
        }
    }
    Ok(selected)
}

fn write_models(dir: &Path, data: &Data, selected: &BTreeMap<String, &[u8]>) -> Result<()> {
    fs::create_dir_all(dir)?;
    // Service directories are replaced whole, so a service botocore dropped disappears.
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            fs::remove_dir_all(&path).with_context(|| format!("removing {}", path.display()))?;
        }
    }
    for (rel, contents) in selected {
        let path: PathBuf = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, contents).with_context(|| format!("writing {}", path.display()))?;
    }
    let mut version = format!("botocore {}\n", data.version);
    if let Some(sha) = &data.wheel_sha256 {
        version.push_str(&format!("wheel-sha256 {sha}\n"));
    }
    fs::write(dir.join("VERSION"), version)?;
    if let Some(license) = &data.license {
        fs::write(dir.join("LICENSE.txt"), license)?;
    }
    if let Some(notice) = &data.notice {
        fs::write(dir.join("NOTICE"), notice)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_is_read_from_init_py() {
        let src = "import os\n__version__ = '1.43.67'\nlog = 1\n";
        assert_eq!(parse_version(src).as_deref(), Some("1.43.67"));
        assert_eq!(parse_version("x = 1\n"), None);
    }

    #[test]
    fn newest_api_version_with_a_service_model_wins() {
        let mut files = BTreeMap::new();
        for name in TOP_LEVEL_FILES {
            files.insert(name.to_string(), b"{}".to_vec());
        }
        files.insert("ddb/2011-12-05/service-2.json.gz".into(), b"old".to_vec());
        files.insert("ddb/2012-08-10/service-2.json.gz".into(), b"new".to_vec());
        files.insert("ddb/2012-08-10/waiters-2.json".into(), b"w".to_vec());
        // A newer directory without a service model does not count.
        files.insert("ddb/2013-01-01/paginators-1.json".into(), b"p".to_vec());
        let selected = select_latest(&files).unwrap();
        let keys: Vec<&str> = selected.keys().map(String::as_str).collect();
        assert!(keys.contains(&"ddb/2012-08-10/service-2.json.gz"));
        assert!(keys.contains(&"ddb/2012-08-10/waiters-2.json"));
        assert!(
            !keys
                .iter()
                .any(|k| k.starts_with("ddb/2011") || k.starts_with("ddb/2013"))
        );
    }
}
