use super::*;
use std::collections::BTreeMap;

const CONFIG: &str = "~/.aws/config";
const CREDENTIALS: &str = "~/.aws/credentials";

/// Parses `text` as a config file named `~/.aws/config`.
fn config(text: &str) -> Result<ProfileSet, ProfileError> {
    ProfileSet::parse(Some((Path::new(CONFIG), text.as_bytes())), None)
}

/// Parses `text` as a credentials file named `~/.aws/credentials`.
fn credentials(text: &str) -> Result<ProfileSet, ProfileError> {
    ProfileSet::parse(None, Some((Path::new(CREDENTIALS), text.as_bytes())))
}

fn both(config: &str, credentials: &str) -> ProfileSet {
    ProfileSet::parse(
        Some((Path::new(CONFIG), config.as_bytes())),
        Some((Path::new(CREDENTIALS), credentials.as_bytes())),
    )
    .unwrap()
}

fn config_error(text: &str) -> String {
    config(text).unwrap_err().to_string()
}

fn profile<'a>(set: &'a ProfileSet, name: &str) -> &'a Section {
    set.profile(name)
        .unwrap_or_else(|| panic!("no profile {name:?} in {set:?}"))
}

/// Environment variables as name-value pairs.
type Vars<'a> = &'a [(&'a str, &'a str)];

fn env(vars: Vars) -> Env {
    Env::from_vars(vars.iter().copied()).without_home()
}

fn nested(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Parsing

#[test]
fn profile_sections_of_the_config_file() {
    let set = config(
        "[default]\nregion = us-east-1\n\
         [profile dev]\nregion = eu-west-1\n\
         [profile \"my name\"]\nregion = a\n\
         [sso-session corp]\nsso_region = us-east-2\n\
         [services local]\ns3 =\n  endpoint_url = http://localhost:9000\n\
         [plugins]\ncli_legacy_plugin_path = /x\n\
         [other]\nregion = b\n",
    )
    .unwrap();
    assert_eq!(profile(&set, "default").get("region"), Some("us-east-1"));
    assert_eq!(profile(&set, "dev").get("region"), Some("eu-west-1"));
    assert_eq!(profile(&set, "dev").name(), "dev");
    assert_eq!(profile(&set, "my name").get("region"), Some("a"));
    assert_eq!(
        set.sso_session("corp").unwrap().get("sso_region"),
        Some("us-east-2")
    );
    assert_eq!(
        set.services("local")
            .unwrap()
            .get_nested("s3", "endpoint_url"),
        Some("http://localhost:9000")
    );
    // `[NAME]` is not a profile in the config file.
    assert!(set.profile("other").is_none());
    assert!(set.profile("plugins").is_none());
    assert_eq!(set.other_section("other").unwrap().get("region"), Some("b"));
    let names: Vec<_> = set.profiles().map(Section::name).collect();
    assert_eq!(names, ["default", "dev", "my name"]);
}

#[test]
fn section_names_follow_botocore_quirks() {
    let set = config(
        "[profile a b]\nx = 1\n\
         [profile]\nx = 2\n\
         [profile 'unclosed]\nx = 3\n\
         [profilex quirk]\nx = 4\n\
         [ default ]\nx = 5\n\
         [Default]\nx = 6\n\
         [profile  spaced\t]\nx = 7\n\
         [profile tail] trailing text\nx = 8\n\
         [profile esc\\ aped]\nx = 9\n",
    )
    .unwrap();
    let names: Vec<_> = set.profiles().map(Section::name).collect();
    // Only two-word names count, whatever the first word after `profile…` is.
    assert_eq!(names, ["esc aped", "quirk", "spaced", "tail"]);
    assert_eq!(profile(&set, "spaced").get("x"), Some("7"));
    assert_eq!(profile(&set, "tail").get("x"), Some("8"));
    assert!(set.other_section(" default ").is_some());
    assert!(set.other_section("Default").is_some());
    assert!(set.profile("default").is_none());
}

#[test]
fn the_later_of_default_and_profile_default_wins_whole() {
    let set =
        config("[default]\nregion = a\noutput = json\n[profile default]\nregion = b\n").unwrap();
    let default = profile(&set, "default");
    assert_eq!(default.get("region"), Some("b"));
    assert_eq!(default.get("output"), None);

    let set = config("[profile default]\nregion = b\n[default]\nregion = a\n").unwrap();
    assert_eq!(profile(&set, "default").get("region"), Some("a"));
}

#[test]
fn credentials_file_sections_are_profiles_named_verbatim() {
    let set = credentials(
        "[default]\naws_access_key_id = A\n[profile x]\naws_access_key_id = B\n[dev]\nregion = r\n",
    )
    .unwrap();
    assert_eq!(profile(&set, "default").get("aws_access_key_id"), Some("A"));
    assert_eq!(
        profile(&set, "profile x").get("aws_access_key_id"),
        Some("B")
    );
    assert_eq!(profile(&set, "dev").get("region"), Some("r"));
    assert!(set.profile("x").is_none());
}

#[test]
fn credentials_override_config_key_by_key() {
    let set = both(
        "[default]\nregion = us-east-1\naws_access_key_id = CONFIG\n[profile dev]\nregion = eu\n",
        "[default]\naws_access_key_id = CREDS\naws_secret_access_key = S\n[only-creds]\nregion = ap\n",
    );
    let default = profile(&set, "default");
    assert_eq!(default.get("region"), Some("us-east-1"));
    assert_eq!(default.get("aws_access_key_id"), Some("CREDS"));
    assert_eq!(
        default
            .property("aws_access_key_id")
            .unwrap()
            .origin()
            .file(),
        FileKind::Credentials
    );
    assert_eq!(
        default.property("region").unwrap().origin().file(),
        FileKind::Config
    );
    assert_eq!(profile(&set, "dev").get("region"), Some("eu"));
    assert_eq!(profile(&set, "only-creds").get("region"), Some("ap"));
}

#[test]
fn comments_are_whole_lines_only() {
    let set = config(
        "# leading comment\n; another\n[default]\n  # indented comment\n\
         region = us-east-1 # not a comment\noutput=json;also not\n\t; tab comment\n",
    )
    .unwrap();
    let default = profile(&set, "default");
    assert_eq!(default.get("region"), Some("us-east-1 # not a comment"));
    assert_eq!(default.get("output"), Some("json;also not"));
}

#[test]
fn delimiters_and_white_space() {
    let set = config(
        "[default]\na=1\nb = 2\nc:3\nd : 4\ne\t=\tfive six \nf = x = y\ng = http://h:1/p\nh: a=b\ni =\n",
    )
    .unwrap();
    let p = profile(&set, "default");
    for (key, value) in [
        ("a", "1"),
        ("b", "2"),
        ("c", "3"),
        ("d", "4"),
        ("e", "five six"),
        ("f", "x = y"),
        ("g", "http://h:1/p"),
        ("h", "a=b"),
        ("i", ""),
    ] {
        assert_eq!(p.get(key), Some(value), "key {key}");
    }
}

#[test]
fn keys_are_lowercased_and_section_names_are_not() {
    let set = config("[profile Dev]\nAWS_Access_Key_ID = A\n").unwrap();
    let p = profile(&set, "Dev");
    assert_eq!(p.get("aws_access_key_id"), Some("A"));
    assert_eq!(p.get("AWS_ACCESS_KEY_ID"), Some("A"));
    assert_eq!(
        p.properties().map(|(k, _)| k).collect::<Vec<_>>(),
        ["aws_access_key_id"]
    );
    assert!(set.profile("dev").is_none());
}

#[test]
fn continuation_lines_extend_the_value() {
    let set = config(
        "[default]\n\
         a = first\n  second\n\n    third\n  # skipped comment\n\n\
         b = x\n\
         [profile indented]\n  k = 1\n  l = 2\n   l2\n",
    )
    .unwrap();
    assert_eq!(
        profile(&set, "default").get("a"),
        Some("first\nsecond\n\nthird")
    );
    assert_eq!(profile(&set, "default").get("b"), Some("x"));
    // An indented key right after a header is an ordinary key; only deeper lines continue.
    let p = profile(&set, "indented");
    assert_eq!(p.get("k"), Some("1"));
    assert_eq!(p.get("l"), Some("2\nl2"));
}

#[test]
fn an_indented_header_continues_a_value() {
    let set = config("[default]\na = 1\n  [profile x]\nb = 2\n").unwrap();
    assert_eq!(profile(&set, "default").get("a"), Some("1\n[profile x]"));
    assert!(set.profile("x").is_none());
}

#[test]
fn nested_properties() {
    let set = config(
        "[default]\n\
         s3 =\n  max_concurrent_requests = 10\n  Addressing_Style=path\n\n  # comment\n  x = 1\n  x = 2\n  url = a=b\n\
         region = us-east-1\n\
         empty =\n\
         after_blank =\n\n  k = v\n",
    )
    .unwrap();
    let p = profile(&set, "default");
    assert_eq!(
        p.nested("s3"),
        Some(&nested(&[
            ("Addressing_Style", "path"),
            ("max_concurrent_requests", "10"),
            ("url", "a=b"),
            ("x", "2"),
        ]))
    );
    assert_eq!(p.get("s3"), None);
    assert_eq!(
        p.get_nested("s3", "addressing_style"),
        None,
        "nested keys keep their case"
    );
    assert_eq!(p.get("region"), Some("us-east-1"));
    assert_eq!(p.get("empty"), Some(""));
    assert_eq!(p.nested("after_blank"), Some(&nested(&[("k", "v")])));
}

#[test]
fn a_nested_line_without_equals_is_an_error() {
    assert_eq!(
        config_error("[default]\ns3 =\n  max_concurrent_requests: 10\n"),
        "~/.aws/config line 3: expected `key = value` in the nested properties of `s3`, \
         found `max_concurrent_requests: 10`"
    );
}

#[test]
fn services_blocks() {
    let set = config(
        "[profile dev]\nservices = my-services\n\
         [services my-services]\n\
         dynamodb =\n  endpoint_url = http://localhost:8000\n\
         elastic_load_balancing_v2 =\n  endpoint_url = http://localhost:8001\n",
    )
    .unwrap();
    let services = set.services("my-services").unwrap();
    assert_eq!(
        services.get_nested("dynamodb", "endpoint_url"),
        Some("http://localhost:8000")
    );
    assert_eq!(set.all_services().count(), 1);
}

#[test]
fn default_section_is_inherited_by_every_section() {
    let set =
        config("[DEFAULT]\nregion = base\noutput = json\n[default]\nregion = own\n[profile dev]\n")
            .unwrap();
    assert_eq!(profile(&set, "default").get("region"), Some("own"));
    assert_eq!(profile(&set, "default").get("output"), Some("json"));
    assert_eq!(profile(&set, "dev").get("region"), Some("base"));
    assert!(set.other_section("DEFAULT").is_none());
    // Several `[DEFAULT]` headers are allowed, their keys may not repeat.
    assert!(config("[DEFAULT]\na = 1\n[DEFAULT]\nb = 2\n").is_ok());
    assert_eq!(
        config_error("[DEFAULT]\na = 1\n[DEFAULT]\nA = 2\n"),
        "~/.aws/config line 4: duplicate key `a` in section `[DEFAULT]` (first on line 2)"
    );
}

#[test]
fn inherited_values_are_read_only_where_inherited() {
    // botocore parses a nested value only in the sections that hold it.
    assert!(config("[DEFAULT]\nbad =\n  nope\n").unwrap().is_empty());
    assert!(config("[DEFAULT]\nbad =\n  nope\n[default]\nbad = own\n").is_ok());
    assert_eq!(
        config_error("[DEFAULT]\nbad =\n  nope\n[default]\n"),
        "~/.aws/config line 3: expected `key = value` in the nested properties of `bad`, found `nope`"
    );
}

#[test]
fn duplicate_sections_and_keys_are_errors() {
    assert_eq!(
        config_error("[default]\na = 1\n\n[default]\nb = 2\n"),
        "~/.aws/config line 4: duplicate section `[default]` (first on line 1)"
    );
    assert_eq!(
        config_error("[profile x]\nRegion = a\nregion = b\n"),
        "~/.aws/config line 3: duplicate key `region` in section `[profile x]` (first on line 2)"
    );
    // The same key in different sections, and the same profile from both files, are fine.
    assert!(config("[a]\nk = 1\n[b]\nk = 2\n").is_ok());
}

#[test]
fn line_endings_bom_and_empty_files() {
    let set =
        config("\u{feff}[default]\r\nregion = a\r\n  more\r\n[profile x]\rregion = b\r").unwrap();
    assert_eq!(profile(&set, "default").get("region"), Some("a\nmore"));
    assert_eq!(profile(&set, "x").get("region"), Some("b"));
    for empty in [
        "",
        "\n\n",
        "  \t\n",
        "# only a comment\n; and another",
        "\u{feff}",
    ] {
        assert!(config(empty).unwrap().is_empty(), "{empty:?}");
    }
    assert!(
        config("[default]")
            .unwrap()
            .profile("default")
            .unwrap()
            .is_empty()
    );
}

#[test]
fn error_messages_name_the_file_and_line() {
    let cases = [
        (
            "[default]\nregion = a\n\n# c\n[profile x]\nok = 1\ngarbage\n",
            "~/.aws/config line 7: expected `key = value`, found `garbage`",
        ),
        (
            "[default]\nregion\n",
            "~/.aws/config line 2: expected `key = value`, found `region`",
        ),
        (
            "[default]\n= value\n",
            "~/.aws/config line 2: expected `key = value`, found `= value`",
        ),
        (
            "\n# comment\nregion = us-east-1\n[default]\n",
            "~/.aws/config line 3: expected a section header such as `[default]`, found `region = us-east-1`",
        ),
        (
            "[]\n",
            "~/.aws/config line 1: expected a section header such as `[default]`, found `[]`",
        ),
        (
            "[default]\n[]\n",
            "~/.aws/config line 2: expected `key = value`, found `[]`",
        ),
        (
            "[default]\r\nkey = v\r\nbad\u{1}line\r\n",
            "~/.aws/config line 3: expected `key = value`, found `bad\\u{1}line`",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(config_error(text), expected, "{text:?}");
    }
    let long = format!("[default]\n{}\n", "x".repeat(100));
    assert_eq!(
        config_error(&long),
        format!(
            "~/.aws/config line 2: expected `key = value`, found `{}…`",
            "x".repeat(60)
        )
    );
    assert_eq!(
        credentials("[default]\nbroken\n").unwrap_err().to_string(),
        "~/.aws/credentials line 2: expected `key = value`, found `broken`"
    );
}

#[test]
fn invalid_utf8_is_an_error_with_its_line() {
    let err = ProfileSet::parse(
        Some((Path::new(CONFIG), b"[default]\r\nregion = a\rx = \xff\n")),
        None,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "~/.aws/config line 3: the file is not valid UTF-8 text"
    );
    assert!(matches!(err, ProfileError::Parse { line: 3, .. }));
}

#[test]
fn origins_locate_each_key() {
    let set = config("[default]\n\nregion = a\ns3 =\n  x = 1\n").unwrap();
    let p = profile(&set, "default");
    let origin = p.property("region").unwrap().origin();
    assert_eq!(origin.to_string(), "~/.aws/config line 3");
    assert_eq!(origin.path(), Path::new(CONFIG));
    assert_eq!(origin.line(), 3);
    assert_eq!(p.property("s3").unwrap().origin().line(), 4);
}

#[test]
fn shlex_matches_python() {
    let cases: [(&str, Option<&[&str]>); 9] = [
        ("profile a", Some(&["profile", "a"])),
        ("  profile \t a  ", Some(&["profile", "a"])),
        ("profile \"a b\"", Some(&["profile", "a b"])),
        ("profile 'a \\ b'", Some(&["profile", "a \\ b"])),
        ("profile \"a\\\"b\\x\"", Some(&["profile", "a\"b\\x"])),
        ("profile a\\ b", Some(&["profile", "a b"])),
        ("profile ''", Some(&["profile", ""])),
        ("profile 'a", None),
        ("profile a\\", None),
    ];
    for (input, expected) in cases {
        let expected =
            expected.map(|words| words.iter().map(|w| w.to_string()).collect::<Vec<_>>());
        assert_eq!(parse::shlex_split(input), expected, "{input:?}");
    }
}

#[test]
fn debug_never_prints_secrets() {
    let set = credentials(
        "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = SECRETKEY\n\
         aws_session_token = TOKENVALUE\nnest =\n  client_secret = NESTEDSECRET\n  shown = NESTEDPLAIN\n",
    )
    .unwrap();
    let printed = format!("{set:?}");
    assert!(printed.contains("AKIDEXAMPLE"), "{printed}");
    assert!(printed.contains("NESTEDPLAIN"), "{printed}");
    for secret in ["SECRETKEY", "TOKENVALUE", "NESTEDSECRET"] {
        assert!(!printed.contains(secret), "{printed}");
    }
    let p = profile(&set, "default");
    let property = p.property("aws_secret_access_key").unwrap();
    assert!(!format!("{property:?}").contains("SECRETKEY"));
    assert!(!format!("{:?}", property.value()).contains("SECRETKEY"));
    let env = Env::from_vars([("AWS_SECRET_ACCESS_KEY", "ENVSECRET")]);
    assert!(!format!("{env:?}").contains("ENVSECRET"));
}

/// A small xorshift generator, so the fuzz cases are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn random_input_never_panics() {
    const PIECES: &[&[u8]] = &[
        b"[",
        b"]",
        b"=",
        b":",
        b"#",
        b";",
        b" ",
        b"\t",
        b"\n",
        b"\r",
        b"\r\n",
        b"\\",
        b"\"",
        b"'",
        b"profile ",
        b"sso-session ",
        b"services ",
        b"default",
        b"DEFAULT",
        b"s3",
        b"region",
        b"endpoint_url",
        b"services",
        b"aws_access_key_id",
        b"a",
        b"\xef\xbb\xbf",
        b"\xff",
        b"\xc3\xa9",
        b"\x0b",
        b"\x1c",
        b"\xe2\x80\xa8",
        b"  ",
        b"x = y\n",
        b"  k = v\n",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut parsed = 0;
    for _ in 0..20_000 {
        let mut input = Vec::new();
        for _ in 0..rng.below(40) {
            if rng.below(8) == 0 {
                input.push(rng.next() as u8);
            } else {
                input.extend_from_slice(PIECES[rng.below(PIECES.len())]);
            }
        }
        let as_config = ProfileSet::parse(Some((Path::new(CONFIG), &input)), None);
        let as_credentials = ProfileSet::parse(None, Some((Path::new(CREDENTIALS), &input)));
        for set in [as_config, as_credentials].into_iter().flatten() {
            parsed += 1;
            let _ = format!("{set:?}");
            for name in ["default", "a"] {
                let env = env(&[("AWS_PROFILE", name)]);
                let _ = resolve_region(&env, &set);
                let _ = resolve_static_credentials(&env, &set);
                let _ = resolve_endpoint_url(&env, &set, "s3");
                let _ = Setting::MAX_ATTEMPTS.positive_int(&env, &set);
            }
        }
    }
    assert!(
        parsed > 1_000,
        "the fuzz inputs should often be valid, got {parsed}"
    );
}

// ---------------------------------------------------------------------------------------
// Loading files

/// A directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        use std::sync::atomic::{AtomicU32, Ordering};
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let unique = format!(
            "stratus-profile-{tag}-{}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        );
        let dir = std::env::temp_dir().join(unique);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
    fn write(&self, relative: &str, contents: &str) -> PathBuf {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn load_reads_the_default_files_under_home() {
    let home = TempDir::new("home");
    home.write(
        ".aws/config",
        "[default]\nregion = us-west-2\n[profile dev]\nregion = eu\n",
    );
    home.write(
        ".aws/credentials",
        "[dev]\naws_access_key_id = A\naws_secret_access_key = S\n",
    );
    let env = Env::from_vars([("HOME", home.0.to_str().unwrap())]);
    assert_eq!(config_file_path(&env), Some(home.0.join(".aws/config")));
    let set = load(&env).unwrap();
    assert_eq!(profile(&set, "default").get("region"), Some("us-west-2"));
    assert_eq!(profile(&set, "dev").get("aws_access_key_id"), Some("A"));
    assert_eq!(
        profile(&set, "dev")
            .property("region")
            .unwrap()
            .origin()
            .path(),
        home.0.join(".aws/config")
    );
}

#[test]
fn load_honours_the_file_variables_with_expansion() {
    let dir = TempDir::new("vars");
    dir.write("conf/c.ini", "[profile p]\nregion = from-var\n");
    dir.write("creds.ini", "[p]\nregion = from-creds\noutput = text\n");
    let env = Env::from_vars([
        ("BASE", dir.0.to_str().unwrap()),
        ("AWS_CONFIG_FILE", "${BASE}/conf/c.ini"),
        ("AWS_SHARED_CREDENTIALS_FILE", "~/creds.ini"),
    ])
    .with_home(&dir.0);
    let set = load(&env).unwrap();
    assert_eq!(profile(&set, "p").get("region"), Some("from-creds"));
    assert_eq!(profile(&set, "p").get("output"), Some("text"));
}

#[test]
fn missing_files_are_empty_and_malformed_ones_are_errors() {
    let dir = TempDir::new("missing");
    let env = Env::from_vars([("HOME", dir.0.to_str().unwrap())]);
    assert!(load(&env).unwrap().is_empty());
    // A directory, or a path through a file, is no file (as botocore's `isfile`).
    std::fs::create_dir_all(dir.0.join(".aws/config")).unwrap();
    let file = dir.write("plain", "");
    let env = env.with_var(
        "AWS_SHARED_CREDENTIALS_FILE",
        file.join("below").to_str().unwrap(),
    );
    assert!(load(&env).unwrap().is_empty());
    // No home: `~` paths name no file.
    assert!(load(&Env::default()).unwrap().is_empty());
    assert_eq!(config_file_path(&Env::default()), None);

    let bad = dir.write("bad", "[default]\nregion = a\nnonsense\n");
    let env = Env::from_vars([("AWS_CONFIG_FILE", bad.to_str().unwrap())]).without_home();
    assert_eq!(
        load(&env).unwrap_err().to_string(),
        format!(
            "{} line 3: expected `key = value`, found `nonsense`",
            bad.display()
        )
    );
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_errors() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("unreadable");
    let path = dir.write("config", "[default]\n");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        return; // Running as root: permissions do not apply.
    }
    let env = Env::from_vars([("AWS_CONFIG_FILE", path.to_str().unwrap())]).without_home();
    let err = load(&env).unwrap_err();
    assert!(matches!(err, ProfileError::Read { .. }), "{err}");
    assert!(
        err.to_string()
            .starts_with(&format!("could not read {}: ", path.display()))
    );
}

#[test]
fn path_expansion() {
    let env = Env::from_vars([("A", "x"), ("EMPTY", "")]).with_home("/home/me");
    let cases = [
        ("~", Some("/home/me")),
        ("~/.aws/config", Some("/home/me/.aws/config")),
        ("~other/config", Some("~other/config")),
        ("/a/$A/${A}/$B/${B}/$/${}", Some("/a/x/x/$B/${B}/$/${}")),
        ("$A$A-${EMPTY}", Some("xx-")),
        ("${A", Some("${A")),
        ("rel/$A.ini", Some("rel/x.ini")),
    ];
    for (raw, expected) in cases {
        assert_eq!(env.expand_path(raw), expected.map(PathBuf::from), "{raw}");
    }
    assert_eq!(env.clone().without_home().expand_path("~/x"), None);
}

#[test]
fn home_comes_from_home_then_userprofile() {
    let home = |vars: &[(&str, &str)]| {
        Env::from_vars(vars.iter().copied())
            .home()
            .map(Path::to_path_buf)
    };
    if cfg!(windows) {
        assert_eq!(
            home(&[("HOME", "/h"), ("USERPROFILE", "C:\\u")]),
            Some("C:\\u".into())
        );
    } else {
        assert_eq!(
            home(&[("HOME", "/h"), ("USERPROFILE", "C:\\u")]),
            Some("/h".into())
        );
    }
    assert_eq!(
        home(&[("HOME", ""), ("USERPROFILE", "C:\\u")]),
        Some("C:\\u".into())
    );
    assert_eq!(
        home(&[("HOMEDRIVE", "C:"), ("HOMEPATH", "\\Users\\me")]),
        Some("C:\\Users\\me".into())
    );
    assert_eq!(home(&[]), None);
}

// ---------------------------------------------------------------------------------------
// Resolution

#[test]
fn active_profile_selection() {
    assert_eq!(active_profile(&env(&[])), "default");
    assert_eq!(active_profile(&env(&[("AWS_PROFILE", "p")])), "p");
    assert_eq!(active_profile(&env(&[("AWS_DEFAULT_PROFILE", "d")])), "d");
    assert_eq!(
        active_profile(&env(&[("AWS_PROFILE", "p"), ("AWS_DEFAULT_PROFILE", "d")])),
        "d"
    );
    assert_eq!(
        active_profile(&env(&[("AWS_PROFILE", "p"), ("AWS_DEFAULT_PROFILE", "")])),
        "p"
    );
}

#[test]
fn a_selected_profile_must_exist_when_it_is_needed() {
    let set = config("[default]\nregion = d\n").unwrap();
    let e = env(&[("AWS_PROFILE", "nope")]);
    assert_eq!(
        resolve_region(&e, &set).unwrap_err().to_string(),
        "The config profile (nope) could not be found (selected by AWS_PROFILE)"
    );
    // Not needed: the environment answers first.
    let e = e.with_var("AWS_REGION", "us-east-2");
    assert_eq!(
        resolve_region(&e, &set).unwrap().as_deref(),
        Some("us-east-2")
    );
    // `default` selected explicitly must exist too (as in botocore); implicitly it may not.
    let empty = ProfileSet::default();
    assert!(matches!(
        selected_profile(&env(&[("AWS_DEFAULT_PROFILE", "default")]), &empty),
        Err(ProfileError::ProfileNotFound {
            selected_by: "AWS_DEFAULT_PROFILE",
            ..
        })
    ));
    assert!(selected_profile(&env(&[]), &empty).unwrap().is_none());
    assert_eq!(resolve_region(&env(&[]), &empty).unwrap(), None);
    assert_eq!(resolve_static_credentials(&env(&[]), &empty).unwrap(), None);
}

#[test]
fn region_precedence() {
    let set = config(
        "[default]\nregion = from-default\n[profile dev]\nregion = from-dev\n[profile none]\n",
    )
    .unwrap();
    let cases: &[(Vars, Option<&str>)] = &[
        (&[], Some("from-default")),
        (&[("AWS_PROFILE", "dev")], Some("from-dev")),
        (&[("AWS_PROFILE", "none")], None),
        (
            &[("AWS_DEFAULT_REGION", "dr"), ("AWS_PROFILE", "dev")],
            Some("dr"),
        ),
        (
            &[("AWS_REGION", "r"), ("AWS_DEFAULT_REGION", "dr")],
            Some("r"),
        ),
        (
            &[("AWS_REGION", ""), ("AWS_DEFAULT_REGION", "dr")],
            Some("dr"),
        ),
        (
            &[("AWS_REGION", ""), ("AWS_DEFAULT_REGION", "")],
            Some("from-default"),
        ),
    ];
    for (vars, expected) in cases {
        assert_eq!(
            resolve_region(&env(vars), &set).unwrap().as_deref(),
            *expected,
            "{vars:?}"
        );
    }
    let nested = config("[default]\nregion =\n  a = b\n").unwrap();
    assert_eq!(
        resolve_region(&env(&[]), &nested).unwrap_err().to_string(),
        "`region` of profile `default` (~/.aws/config line 2) must be a single value, got nested properties"
    );
}

#[test]
fn credentials_from_the_environment() {
    let set = config("[default]\naws_access_key_id = P\naws_secret_access_key = PS\n").unwrap();
    let creds = resolve_static_credentials(
        &env(&[
            ("AWS_ACCESS_KEY_ID", "AK"),
            ("AWS_SECRET_ACCESS_KEY", "SK"),
            ("AWS_SESSION_TOKEN", "TOK"),
            ("AWS_SECURITY_TOKEN", "OLD"),
            ("AWS_CREDENTIAL_EXPIRATION", "2030-01-02T03:04:05Z"),
        ]),
        &set,
    )
    .unwrap()
    .unwrap();
    assert_eq!(creds.access_key_id(), "AK");
    assert_eq!(creds.secret_access_key(), "SK");
    assert_eq!(creds.session_token(), Some("TOK"));
    assert_eq!(creds.source(), "environment");
    assert_eq!(
        creds.expires_at().unwrap().to_string(),
        "2030-01-02T03:04:05Z"
    );

    let creds = environment_credentials(&env(&[
        ("AWS_ACCESS_KEY_ID", "AK"),
        ("AWS_SECRET_ACCESS_KEY", "SK"),
        ("AWS_SECURITY_TOKEN", "OLD"),
    ]))
    .unwrap()
    .unwrap();
    assert_eq!(creds.session_token(), Some("OLD"));
    assert_eq!(creds.expires_at(), None);

    assert_eq!(
        resolve_static_credentials(&env(&[("AWS_ACCESS_KEY_ID", "AK")]), &set)
            .unwrap_err()
            .to_string(),
        "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
    );
    assert_eq!(
        environment_credentials(&env(&[
            ("AWS_ACCESS_KEY_ID", "AK"),
            ("AWS_SECRET_ACCESS_KEY", "SK"),
            ("AWS_CREDENTIAL_EXPIRATION", "tomorrow"),
        ]))
        .unwrap_err()
        .to_string(),
        "AWS_CREDENTIAL_EXPIRATION must be an RFC 3339 timestamp such as `2030-01-01T00:00:00Z`, got `tomorrow`"
    );
    // A secret without a key is ignored (botocore): the profile answers.
    let creds = resolve_static_credentials(&env(&[("AWS_SECRET_ACCESS_KEY", "SK")]), &set)
        .unwrap()
        .unwrap();
    assert_eq!(creds.access_key_id(), "P");
}

#[test]
fn credentials_from_the_profile() {
    let set = both(
        "[default]\naws_access_key_id = CK\naws_secret_access_key = CS\n\
         [profile cfg]\naws_access_key_id = K\naws_secret_access_key = S\naws_security_token = OLD\n\
         [profile half]\naws_access_key_id = K\n\
         [profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = default\n\
         [profile both]\naws_access_key_id = K\naws_secret_access_key = S\naws_session_token = NEW\naws_security_token = OLD\n",
        "[default]\naws_access_key_id = FK\naws_secret_access_key = FS\n",
    );
    let get = |name: &str| resolve_static_credentials(&env(&[("AWS_PROFILE", name)]), &set);

    let default = get("default").unwrap().unwrap();
    assert_eq!(
        (default.access_key_id(), default.secret_access_key()),
        ("FK", "FS")
    );
    assert_eq!(default.source(), "shared-credentials-file");
    assert_eq!(default.session_token(), None);

    let cfg = get("cfg").unwrap().unwrap();
    assert_eq!(cfg.source(), "config-file");
    assert_eq!(cfg.session_token(), Some("OLD"));
    assert_eq!(get("both").unwrap().unwrap().session_token(), Some("NEW"));

    assert_eq!(
        get("half").unwrap_err().to_string(),
        "`aws_access_key_id` of profile `half` (~/.aws/config line 9) is set but `aws_secret_access_key` is not"
    );
    // Other kinds of profiles are left to other providers, which read the raw properties.
    assert_eq!(get("role").unwrap(), None);
    let role = selected_profile(&env(&[("AWS_PROFILE", "role")]), &set)
        .unwrap()
        .unwrap();
    assert_eq!(role.get("source_profile"), Some("default"));
    assert_eq!(
        get("missing").unwrap_err().to_string(),
        "The config profile (missing) could not be found (selected by AWS_PROFILE)"
    );
}

#[test]
fn typed_settings() {
    let set = config(
        "[default]\nuse_fips_endpoint = TRUE\nmax_attempts = 0\nretry_mode = standard\n\
         [profile bad]\nuse_dualstack_endpoint = yes\nretry_mode = fast\nmax_attempts = \n",
    )
    .unwrap();
    let none = env(&[]);
    assert_eq!(
        Setting::USE_FIPS_ENDPOINT.bool(&none, &set).unwrap(),
        Some(true)
    );
    assert_eq!(
        Setting::USE_DUALSTACK_ENDPOINT.bool(&none, &set).unwrap(),
        None
    );
    assert_eq!(
        Setting::RETRY_MODE
            .one_of(&none, &set, Setting::RETRY_MODES)
            .unwrap(),
        Some("standard")
    );
    assert_eq!(
        Setting::MAX_ATTEMPTS
            .positive_int(&none, &set)
            .unwrap_err()
            .to_string(),
        "`max_attempts` of profile `default` (~/.aws/config line 3) must be a positive integer, got `0`"
    );

    let vars = env(&[
        ("AWS_USE_FIPS_ENDPOINT", "False"),
        ("AWS_MAX_ATTEMPTS", " 5 "),
        ("AWS_RETRY_MODE", "adaptive"),
    ]);
    assert_eq!(
        Setting::USE_FIPS_ENDPOINT.bool(&vars, &set).unwrap(),
        Some(false)
    );
    assert_eq!(
        Setting::MAX_ATTEMPTS.positive_int(&vars, &set).unwrap(),
        Some(5)
    );
    assert_eq!(
        Setting::RETRY_MODE
            .one_of(&vars, &set, Setting::RETRY_MODES)
            .unwrap(),
        Some("adaptive")
    );
    let found = Setting::MAX_ATTEMPTS.lookup(&vars, &set).unwrap().unwrap();
    assert_eq!(found.source.to_string(), "AWS_MAX_ATTEMPTS");

    let errors = [
        (
            Setting::MAX_ATTEMPTS
                .positive_int(&env(&[("AWS_MAX_ATTEMPTS", "x")]), &set)
                .map(|_| ()),
            "AWS_MAX_ATTEMPTS must be a positive integer, got `x`",
        ),
        (
            Setting::MAX_ATTEMPTS
                .positive_int(&env(&[("AWS_MAX_ATTEMPTS", "-1")]), &set)
                .map(|_| ()),
            "AWS_MAX_ATTEMPTS must be a positive integer, got `-1`",
        ),
        (
            Setting::USE_FIPS_ENDPOINT
                .bool(&env(&[("AWS_USE_FIPS_ENDPOINT", "1")]), &set)
                .map(|_| ()),
            "AWS_USE_FIPS_ENDPOINT must be `true` or `false`, got `1`",
        ),
        (
            Setting::USE_DUALSTACK_ENDPOINT
                .bool(&env(&[("AWS_PROFILE", "bad")]), &set)
                .map(|_| ()),
            "`use_dualstack_endpoint` of profile `bad` (~/.aws/config line 6) must be `true` or `false`, got `yes`",
        ),
        (
            Setting::RETRY_MODE
                .one_of(&env(&[("AWS_PROFILE", "bad")]), &set, Setting::RETRY_MODES)
                .map(|_| ()),
            "`retry_mode` of profile `bad` (~/.aws/config line 7) must be one of `legacy`, `standard`, `adaptive`, got `fast`",
        ),
    ];
    for (result, expected) in errors {
        assert_eq!(result.unwrap_err().to_string(), expected);
    }
    // An empty profile value counts as unset.
    assert_eq!(
        Setting::MAX_ATTEMPTS
            .positive_int(&env(&[("AWS_PROFILE", "bad")]), &set)
            .unwrap(),
        None
    );
    // Custom settings and parsers.
    let custom = Setting::new(&["MY_VAR", "MY_OTHER_VAR"], "my_key");
    assert_eq!(custom.env_vars(), ["MY_VAR", "MY_OTHER_VAR"]);
    assert_eq!(custom.profile_key(), "my_key");
    let parsed = custom.parse(&env(&[("MY_OTHER_VAR", "7")]), &set, "a number", |v| {
        v.parse::<i8>().ok()
    });
    assert_eq!(parsed.unwrap(), Some(7));
}

#[test]
fn endpoint_url_precedence_and_errors() {
    let set = config(
        "[default]\nendpoint_url = https://global\nservices = svc\n\
         [profile broken]\nservices = nope\n\
         [profile flat]\nservices = flat\n\
         [profile ignoring]\nendpoint_url = https://global\nignore_configured_endpoint_urls = true\n\
         [services svc]\nelastic_load_balancing_v2 =\n  endpoint_url = https://elb\n\
         dynamodb =\n  endpoint_url =\n\
         [services flat]\ns3 = https://not-nested\n",
    )
    .unwrap();
    let url =
        |vars: &[(&str, &str)], service: &str| resolve_endpoint_url(&env(vars), &set, service);
    assert_eq!(
        url(&[], "Elastic Load Balancing v2").unwrap().as_deref(),
        Some("https://elb")
    );
    assert_eq!(
        url(&[], "elastic-load-balancing-v2").unwrap().as_deref(),
        Some("https://elb")
    );
    // An empty service URL falls through to the profile's.
    assert_eq!(
        url(&[], "DynamoDB").unwrap().as_deref(),
        Some("https://global")
    );
    assert_eq!(url(&[], "S3").unwrap().as_deref(), Some("https://global"));
    assert_eq!(
        url(
            &[(
                "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2",
                "https://env-elb"
            )],
            "Elastic Load Balancing v2"
        )
        .unwrap()
        .as_deref(),
        Some("https://env-elb")
    );
    assert_eq!(
        url(
            &[
                ("AWS_ENDPOINT_URL", "https://env"),
                ("AWS_ENDPOINT_URL_S3", "")
            ],
            "S3"
        )
        .unwrap()
        .as_deref(),
        Some("https://env")
    );
    assert_eq!(
        url(&[("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE")], "S3").unwrap(),
        None
    );
    assert_eq!(url(&[("AWS_PROFILE", "ignoring")], "S3").unwrap(), None);
    // The variable wins over the profile, both ways.
    assert_eq!(
        url(
            &[
                ("AWS_PROFILE", "ignoring"),
                ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false")
            ],
            "S3"
        )
        .unwrap()
        .as_deref(),
        Some("https://global")
    );
    assert_eq!(
        configured_endpoint_url(&env(&[("AWS_PROFILE", "ignoring")]), &set, "S3")
            .unwrap()
            .as_deref(),
        Some("https://global")
    );
    assert_eq!(
        url(&[("AWS_PROFILE", "broken")], "S3")
            .unwrap_err()
            .to_string(),
        "profile `broken` (~/.aws/config line 5) uses the services section `nope`, \
         but the config file has no `[services nope]` section"
    );
    assert_eq!(
        url(&[("AWS_PROFILE", "flat")], "S3")
            .unwrap_err()
            .to_string(),
        "`s3` of services section `flat` (~/.aws/config line 17) must be nested properties \
         such as `s3 =` then `  endpoint_url = …`, got a single value"
    );
    assert_eq!(
        url(&[("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "yes")], "S3")
            .unwrap_err()
            .to_string(),
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS must be `true` or `false`, got `yes`"
    );
}

// ---------------------------------------------------------------------------------------
// botocore's configured-endpoint-URL suite

/// Cases of the suite this implementation does not pass, by name, with the reason.
const ENDPOINT_SUITE_SKIPS: &[(&str, &str)] = &[];

#[test]
fn configured_endpoint_url_suite() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/config/configured-endpoint-urls-profile-tests.json"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let suite = serde_json::from_str::<serde_json::Value>(&text).unwrap();
    let mut total = 0;
    let mut passed = 0;
    let mut skipped = Vec::new();
    let mut failures = Vec::new();
    for suite in suite["testSuites"].as_array().unwrap() {
        let profiles = suite_profile_set(suite);
        for case in suite["endpointUrlTests"].as_array().unwrap() {
            total += 1;
            let name = case["name"].as_str().unwrap();
            if ENDPOINT_SUITE_SKIPS.iter().any(|(skip, _)| *skip == name) {
                skipped.push(name.to_owned());
                continue;
            }
            let client = &suite["client_configs"][case["client_config"].as_str().unwrap()];
            let mut vars: Vec<(String, String)> = suite["environments"]
                [case["environment"].as_str().unwrap()]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect();
            vars.push((
                "AWS_PROFILE".into(),
                case["profile"].as_str().unwrap().to_owned(),
            ));
            let env = Env::from_vars(vars).without_home();
            let actual =
                client_endpoint(&env, &profiles, client, case["service"].as_str().unwrap());
            let expected = case["output"]["endpointUrl"].as_str().unwrap();
            if actual.as_ref().is_ok_and(|url| url == expected) {
                passed += 1;
            } else {
                failures.push(format!("{name}: expected {expected}, got {actual:?}"));
            }
        }
    }
    eprintln!(
        "configured endpoint URL suite: {passed} passed, {} skipped, {} failed of {total}",
        skipped.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
    let expected_skips: Vec<_> = ENDPOINT_SUITE_SKIPS
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    assert_eq!(
        skipped, expected_skips,
        "the skip list must name exactly the skipped cases"
    );
    assert_eq!((passed, total), (39, 39));
}

/// Writes the suite's profiles and services sections as a config file, and parses it.
fn suite_profile_set(suite: &serde_json::Value) -> ProfileSet {
    let mut text = String::new();
    for (name, properties) in suite["profiles"].as_object().unwrap() {
        if name == "default" {
            text.push_str("[default]\n");
        } else {
            text.push_str(&format!("[profile {name}]\n"));
        }
        for (key, value) in properties.as_object().unwrap() {
            text.push_str(&format!("{key} = {}\n", value.as_str().unwrap()));
        }
    }
    for (name, services) in suite["services"].as_object().unwrap() {
        text.push_str(&format!("[services {name}]\n"));
        for (service, properties) in services.as_object().unwrap() {
            text.push_str(&format!("{service} =\n"));
            for (key, value) in properties.as_object().unwrap() {
                text.push_str(&format!("  {key} = {}\n", value.as_str().unwrap()));
            }
        }
    }
    config(&text).unwrap()
}

/// What a client resolves: an endpoint URL given in code wins; a client setting to ignore
/// configured endpoints overrides the environment's and the profile's; then
/// [`resolve_endpoint_url`]; without a URL, the endpoint rules would give the service's
/// regional endpoint, which this stands in for with `https://{service}.{region}.amazonaws.com`.
fn client_endpoint(
    env: &Env,
    profiles: &ProfileSet,
    client: &serde_json::Value,
    service: &str,
) -> Result<String, ProfileError> {
    if let Some(url) = client.get("endpoint_url") {
        return Ok(url.as_str().unwrap().to_owned());
    }
    let configured = match client.get("ignore_configured_endpoint_urls") {
        Some(serde_json::Value::Bool(true)) => None,
        Some(serde_json::Value::Bool(false)) => configured_endpoint_url(env, profiles, service)?,
        _ => resolve_endpoint_url(env, profiles, service)?,
    };
    match configured {
        Some(url) => Ok(url),
        None => {
            let region = resolve_region(env, profiles)?.unwrap_or_default();
            Ok(format!("https://{service}.{region}.amazonaws.com"))
        }
    }
}
