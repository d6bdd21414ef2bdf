//! The README's quick start is `src/bin/quickstart.rs`, word for word, and it runs: against
//! moto, configured only through the environment as the README says.

use stratus_tests::e2e::Session;

/// The code of the README's quick start block (between "```rust,no_run" and "```" after
/// the "## Quick start" heading).
fn readme_quickstart() -> String {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let section = readme
        .split("## Quick start")
        .nth(1)
        .expect("README has a Quick start section");
    let code = section
        .split("```rust,no_run")
        .nth(1)
        .expect("with a rust code block");
    code.split("```").next().unwrap().trim().to_string()
}

#[test]
fn the_readme_shows_the_quickstart_binary() {
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/bin/quickstart.rs"
    ))
    .unwrap();
    // The file's own header comment is not part of the README.
    let code: String = source
        .lines()
        .skip_while(|l| l.starts_with("//!") || l.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(readme_quickstart(), code.trim());
}

#[tokio::test]
async fn the_quickstart_runs_against_moto() {
    let session = Session::get().await;
    // A group named "web" for the quick start to find.
    autoscaling_client::Client::new(&session.config())
        .create_auto_scaling_group(autoscaling_client::CreateAutoScalingGroupInput {
            auto_scaling_group_name: "web".into(),
            min_size: 1,
            max_size: 3,
            desired_capacity: Some(2),
            availability_zones: Some(vec!["us-east-1a".into()]),
            launch_template: None,
            instance_id: None,
            launch_configuration_name: Some(ensure_launch_configuration(session).await),
            ..Default::default()
        })
        .await
        .expect("create the group the quick start describes");
    let home = std::env::temp_dir().join(format!("stratus-quickstart-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_quickstart"))
        .env_clear()
        .env("HOME", &home)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", session.credentials.access_key_id())
        .env(
            "AWS_SECRET_ACCESS_KEY",
            session.credentials.secret_access_key(),
        )
        .env("AWS_ENDPOINT_URL", &session.endpoint)
        .output()
        .expect("run the quick start");
    std::fs::remove_dir_all(&home).ok();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    assert_eq!(stdout.trim(), "web: 2 instances wanted");
}

async fn ensure_launch_configuration(session: &Session) -> String {
    let name = "quickstart-lc".to_string();
    autoscaling_client::Client::new(&session.config())
        .create_launch_configuration(autoscaling_client::CreateLaunchConfigurationInput {
            launch_configuration_name: name.clone(),
            image_id: Some("ami-12c6146b".into()),
            instance_type: Some("t2.micro".into()),
            ..Default::default()
        })
        .await
        .expect("create launch configuration");
    name
}
