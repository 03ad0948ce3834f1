//! Builds the NHS.UK frontend (from the pinned npm package) and our own styles into the binary.
//!
//! A fresh clone has no `node_modules`; this runs `npm ci` once so `cargo build` just works.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let root = manifest
        .join("../..")
        .canonicalize()
        .expect("workspace root");
    let dist = root.join("node_modules/nhsuk-frontend/dist/nhsuk");
    println!(
        "cargo:rerun-if-changed={}",
        root.join("package-lock.json").display()
    );
    println!(
        "cargo:rerun-if-changed={}",
        manifest.join("static").display()
    );
    let openmoji = root.join("node_modules/openmoji/color/svg");
    if !dist.exists() || !openmoji.exists() {
        let status = Command::new("npm")
            .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
            .current_dir(&root)
            .status();
        match status {
            Ok(s) if s.success() => {}
            other => panic!(
                "the NHS.UK frontend is missing and `npm ci` failed ({other:?}); install Node.js and npm, then run `npm ci` in {}",
                root.display()
            ),
        }
    }
    let mut entries: Vec<(String, PathBuf)> = Vec::new();
    let css = std::fs::read_dir(&dist)
        .expect("nhsuk-frontend dist")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| {
            n.starts_with("nhsuk-frontend-") && n.ends_with(".min.css") && !n.contains("dynamic")
        })
        .expect("nhsuk-frontend's versioned minified CSS");
    // The stylesheet loads the Frutiger font from a third-party host. We never send people's
    // browsers elsewhere (the content security policy would refuse it anyway), so those
    // @font-face rules are dropped and the NHS.UK fallback fonts (Arial) are used.
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let stylesheet = std::fs::read_to_string(dist.join(&css)).expect("nhsuk-frontend CSS");
    let local_css = out_dir.join(&css);
    std::fs::write(&local_css, without_remote_fonts(&stylesheet)).expect("write CSS");
    entries.push((css.clone(), local_css));
    for entry in std::fs::read_dir(dist.join("assets/images"))
        .expect("nhsuk-frontend images")
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        entries.push((format!("images/{name}"), entry.path()));
    }
    // The Easy Read pictures: the ones our list names, from the OpenMoji package.
    let list = manifest.join("../domain/src/easy_read_pictures.txt");
    println!("cargo:rerun-if-changed={}", list.display());
    for line in std::fs::read_to_string(&list)
        .expect("easy_read_pictures.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let mut parts = line.split('\t');
        let (Some(name), Some(code)) = (parts.next(), parts.next()) else {
            panic!("easy_read_pictures.txt: a line without a name and a code: {line}");
        };
        let svg = openmoji.join(format!("{code}.svg"));
        assert!(svg.exists(), "OpenMoji has no {code}.svg (for {name})");
        entries.push((format!("pictures/{name}.svg"), svg));
    }
    let own_css = manifest.join("static/coproduce.css");
    let own = std::fs::read(&own_css).expect("static/coproduce.css");
    let own_name = format!("coproduce-{:08x}.css", fnv(&own));
    entries.push((own_name.clone(), own_css));
    entries.sort();

    let mut out = String::new();
    writeln!(out, "/// The NHS.UK frontend stylesheet's path.").ok();
    writeln!(out, "pub const NHSUK_CSS: &str = \"/assets/{css}\";").ok();
    writeln!(
        out,
        "/// Our own stylesheet's path (named by its content, so it can be cached for ever)."
    )
    .ok();
    writeln!(out, "pub const APP_CSS: &str = \"/assets/{own_name}\";").ok();
    writeln!(
        out,
        "/// Every asset: its path under /assets/ and its bytes."
    )
    .ok();
    writeln!(out, "pub static FILES: &[(&str, &[u8])] = &[").ok();
    for (name, path) in &entries {
        writeln!(
            out,
            "    ({name:?}, include_bytes!({:?})),",
            path.display().to_string()
        )
        .ok();
    }
    writeln!(out, "];").ok();
    let dest = Path::new(&out_dir).join("assets.rs");
    std::fs::write(dest, out).expect("write assets.rs");
}

/// The stylesheet without `@font-face` rules that fetch fonts from another host.
fn without_remote_fonts(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("@font-face") {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let rule = &rest[start..start + len + 1];
        out.push_str(&rest[..start]);
        if !rule.contains("https://") {
            out.push_str(rule);
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out
}

/// FNV-1a: a short, stable fingerprint for a file name (not for security).
fn fnv(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    })
}
